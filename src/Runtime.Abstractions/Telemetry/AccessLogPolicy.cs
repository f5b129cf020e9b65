using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Telemetry.Expressions;

namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// Whether one side (client or server) of a workload writes access logs, resolved from Telemetry resources'
/// <c>accessLogging</c> as Istio does: the workload-selector Telemetry of the workload's namespace, else the
/// namespace-wide one, else the mesh-wide one (a root namespace, see <see cref="RootNamespaces"/>). The first level
/// with an <c>accessLogging</c> entry for this side decides (<see cref="TelemetryLevels"/>); with none anywhere, nothing is logged. Several
/// Telemetry resources at one level: the oldest wins (then the first by name).
/// </summary>
public sealed class AccessLogPolicy
{
    private AccessLogPolicy(bool enabled, AccessLogExpression? condition, string source, AccessLogOutput? output = null)
    {
        Enabled = enabled;
        Condition = condition;
        Source = source;
        Output = output;
    }

    /// <summary>Where and how lines go, from mesh config (issue 6); null for the sidecar's own <c>--access-log-*</c> settings.</summary>
    public AccessLogOutput? Output { get; }

    /// <summary>Whether requests are logged at all.</summary>
    public bool Enabled { get; }

    /// <summary>The filter a request must pass to be logged; null logs every request.</summary>
    public AccessLogExpression? Condition { get; }

    /// <summary>Which Telemetry decided (<c>namespace/name</c>), or <c>default</c>.</summary>
    public string Source { get; }

    /// <summary>No Telemetry asks for access logs: off.</summary>
    public static AccessLogPolicy Off { get; } = new(false, null, "default");

    /// <summary>Whether a request with <paramref name="attributes"/> is logged.</summary>
    public bool ShouldLog<T>(in T attributes) where T : IAccessLogAttributes => Enabled && (Condition is null || Condition.Matches(attributes));

    /// <summary>Resolves the policy of one side of a workload from <paramref name="resources"/> (other kinds are ignored).</summary>
    /// <param name="resources">The resources in force, typically a proxy snapshot's.</param>
    /// <param name="namespace">The workload's namespace.</param>
    /// <param name="labels">The workload's labels, matched by <c>selector.matchLabels</c>.</param>
    /// <param name="client">True for the client side (outbound requests), false for the server side (inbound).</param>
    public static AccessLogPolicy Resolve(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels, bool client)
    {
        // The precedence is shared with tracing (TelemetryLevels); this side's first accessLogging entry takes part.
        // Mesh config (issue 6) is the level below every Telemetry: its accessLogFile applies only when no Telemetry decides.
        var all = resources as IReadOnlyCollection<MeshResource> ?? [.. resources];
        var mesh = MeshTelemetry.From(all);
        if (TelemetryLevels.Resolve(all, @namespace, labels, spec => spec.AccessLogging?.FirstOrDefault(entry => TelemetryLevels.AppliesTo(entry.Match, client))) is not { } chosen)
        {
            return mesh.DefaultAccessLog is { } meshLog ? new AccessLogPolicy(true, null, mesh.Source!, Mesh(meshLog)) : Off;
        }

        // As in Istio, a Telemetry naming only providers that are not file logs writes nothing.
        var output = mesh.AccessLogFor(chosen.Entry.Providers);
        return new AccessLogPolicy(chosen.Entry.Disabled != true && output is not null, Filter(chosen.Entry.Filter?.Expression), $"{chosen.Resource.Metadata.Namespace}/{chosen.Resource.Metadata.Name}", Mesh(output));
    }

    // Validation refused every expression that does not compile, so one that fails here never reached a snapshot.
    private static AccessLogExpression? Filter(string? expression) =>
        expression is not null && AccessLogExpression.TryParse(expression, out var compiled, out _) ? compiled : null;

    /// <summary>Stdout with no encoding or format set: the sidecar's own settings decide.</summary>
    private static AccessLogOutput? Mesh(AccessLogOutput? output) =>
        output is { IsStdout: true, Template: null, Labels: null, Encoding: null } ? null : output;
}
