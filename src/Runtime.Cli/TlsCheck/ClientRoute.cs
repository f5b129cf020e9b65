using Runtime.Abstractions.Networking;

namespace Runtime.Cli.TlsCheck;

/// <summary>The <c>tls</c> a client applies to a service port, for the whole service or for one subset of it.</summary>
/// <param name="Rule">The DestinationRule(s), <c>ns/name</c> (with <c> subset X</c> for a subset); null when none applies.</param>
/// <param name="SubsetLabels">The subset's labels (which server workloads it reaches); null for the whole service.</param>
/// <param name="Tls">The effective <c>tls</c>; null when none is set (auto mTLS).</param>
internal sealed record ClientRoute(string? Rule, IReadOnlyDictionary<string, string>? SubsetLabels, ClientTlsSettings? Tls);
