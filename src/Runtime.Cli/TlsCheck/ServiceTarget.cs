using System.Globalization;
using Runtime.Abstractions.Discovery;

namespace Runtime.Cli.TlsCheck;

/// <summary>
/// The service named on the command line, as kubectl and istioctl users write it: <c>reviews</c> (in the
/// <c>-n</c> namespace, or in any namespace without one), <c>reviews.bookinfo</c>, <c>reviews.bookinfo.svc</c>,
/// <c>reviews.bookinfo.svc.cluster.local</c>, each optionally followed by <c>:port</c>.
/// </summary>
/// <param name="Name">The service name.</param>
/// <param name="Namespace">Its namespace; null for any.</param>
/// <param name="Port">Only this port; null for all.</param>
internal sealed record ServiceTarget(string Name, string? Namespace, int? Port)
{
    private const string ClusterSuffix = "." + ServiceHosts.ClusterSuffix;

    /// <summary>Parses <paramref name="text"/>; <paramref name="namespaceFlag"/> is <c>-n</c> (or null).</summary>
    /// <exception cref="CliException">The text is not a service name, or names another namespace than <c>-n</c>.</exception>
    public static ServiceTarget Parse(string text, string? namespaceFlag)
    {
        var host = text.Trim().ToLowerInvariant();
        int? port = null;
        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw new CliException($"'{text}': the port after ':' must be a number from 1 to 65535");
            }

            port = number;
            host = host[..colon];
        }

        host = host.TrimEnd('.');
        if (host.EndsWith(ClusterSuffix, StringComparison.Ordinal))
        {
            host = host[..^ClusterSuffix.Length];
        }
        else if (host.EndsWith(".svc", StringComparison.Ordinal))
        {
            host = host[..^".svc".Length];
        }

        var parts = host.Split('.');
        if (parts.Length > 2 || parts.Any(p => !ServiceHosts.IsValidName(p)))
        {
            throw new CliException($"'{text}' is not a mesh service: write <service>, <service>.<namespace> or <service>.<namespace>.svc.cluster.local, optionally with :<port>");
        }

        var ns = parts.Length == 2 ? parts[1] : null;
        if (ns is not null && namespaceFlag is { Length: > 0 } && namespaceFlag != ns)
        {
            throw new CliException($"'{text}' is in namespace {ns}, but -n says {namespaceFlag}; drop one of them");
        }

        return new ServiceTarget(parts[0], ns ?? (namespaceFlag is { Length: > 0 } ? namespaceFlag : null), port);
    }

    /// <summary>Whether a workload's service port is the one named.</summary>
    public bool Matches(string service, string @namespace, int port) =>
        service == Name && (Namespace is null || Namespace == @namespace) && (Port is null || Port == port);

    /// <summary>The target as the user would read it back.</summary>
    public override string ToString() =>
        (Namespace is null ? Name : ServiceHosts.For(Name, Namespace)) + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "");
}
