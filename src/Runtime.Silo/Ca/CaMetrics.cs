using System.Diagnostics.Metrics;
using Runtime.Silo.Metrics;

namespace Runtime.Silo.Ca;

/// <summary>Certificate signing instruments on the silo's <c>Runtime.Silo</c> meter, counted at the API edge.</summary>
internal sealed class CaMetrics
{
    private readonly Counter<long> _signed;
    private readonly Counter<long> _rejected;

    /// <summary>One label set per refusal, indexed by the enum's value, made once.</summary>
    private readonly KeyValuePair<string, object?>[] _reasonTags;

    public CaMetrics(SiloMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _signed = metrics.Meter.CreateCounter<long>("silo.ca.csr.signed", description: "Certificate signing requests the CA signed.");
        _rejected = metrics.Meter.CreateCounter<long>(
            "silo.ca.csr.rejected",
            description: "Certificate signing requests the CA refused, by reason (the gRPC status it answered, in snake case).");
        var reasons = Enum.GetValues<CaRefusal>();
        _reasonTags = new KeyValuePair<string, object?>[reasons.Max(r => (int)r) + 1];
        foreach (var reason in reasons)
        {
            _reasonTags[(int)reason] = new("reason", Label(reason));
            _rejected.Add(0, _reasonTags[(int)reason]);
        }
    }

    public void Signed() => _signed.Add(1);

    public void Rejected(CaRefusal reason) => _rejected.Add(1, _reasonTags[(int)reason]);

    private static string Label(CaRefusal reason) => reason switch
    {
        CaRefusal.InvalidRequest => "invalid_argument",
        CaRefusal.Unauthenticated => "unauthenticated",
        CaRefusal.PermissionDenied => "permission_denied",
        _ => "failed_precondition",
    };
}
