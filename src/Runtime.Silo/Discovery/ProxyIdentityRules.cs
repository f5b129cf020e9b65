using System.Globalization;
using System.Net;
using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>Validation, defaults and the proxy id of a registering sidecar's identity.</summary>
internal static class ProxyIdentityRules
{
    /// <summary>
    /// Every problem with <paramref name="identity"/> as the sidecar sent it (before <see cref="Normalize"/>; empty
    /// namespace, service account and instance take defaults), each naming the field and how to fix it.
    /// </summary>
    public static IReadOnlyList<string> Validate(ProxyIdentity identity)
    {
        var problems = new List<string>();
        if (identity.Service.Length == 0)
        {
            problems.Add("identity.service is required: the name other services call this workload by, e.g. \"reviews\"");
        }
        else if (!ServiceHosts.IsValidName(identity.Service))
        {
            problems.Add($"identity.service \"{identity.Service}\" is not a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)");
        }

        if (identity.Namespace.Length > 0 && !ServiceHosts.IsValidName(identity.Namespace))
        {
            problems.Add($"identity.namespace \"{identity.Namespace}\" is not a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)");
        }

        if (identity.Address.Length == 0)
        {
            problems.Add("identity.address is required: the IP address or host name other sidecars connect to");
        }
        else if (!IPAddress.TryParse(identity.Address, out _) && Uri.CheckHostName(identity.Address) != UriHostNameType.Dns)
        {
            problems.Add($"identity.address \"{identity.Address}\" is neither an IP address nor a host name");
        }

        if (identity.InboundPort is < 1 or > 65535)
        {
            problems.Add($"identity.inbound_port {identity.InboundPort} is out of range 1-65535: give the sidecar's inbound (mesh) port");
        }

        CheckOptionalPort(problems, "identity.app_port", identity.AppPort);
        CheckOptionalPort(problems, "identity.admin_port", identity.AdminPort);
        if (identity.ServiceAccount.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            problems.Add($"identity.service_account \"{identity.ServiceAccount}\" may not contain whitespace or '/'");
        }

        if (identity.Instance.Length > 253 || identity.Instance.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            problems.Add($"identity.instance \"{identity.Instance}\" must be at most 253 characters without whitespace or '/'");
        }

        foreach (var key in identity.Labels.Keys.Where(k => k.Length == 0 || k.Any(char.IsWhiteSpace)))
        {
            problems.Add($"identity.labels key \"{key}\" is empty or contains whitespace");
        }

        return problems;
    }

    /// <summary>Fills in the defaults: namespace <c>default</c>, service account <c>default</c>, instance <c>service-address-port</c>.</summary>
    public static ProxyIdentity Normalize(ProxyIdentity identity) => identity with
    {
        Namespace = identity.Namespace.Length == 0 ? "default" : identity.Namespace,
        ServiceAccount = identity.ServiceAccount.Length == 0 ? "default" : identity.ServiceAccount,
        Instance = identity.Instance.Length > 0
            ? identity.Instance
            : string.Create(CultureInfo.InvariantCulture, $"{identity.Service}-{identity.Address.Replace(':', '-').Replace('.', '-').Trim('[', ']')}-{identity.InboundPort}"),
    };

    /// <summary>
    /// The proxy id: <c>&lt;instance&gt;.&lt;namespace&gt;</c>, as Istio names proxies. Derived from the identity, so the
    /// same instance gets the same id when it re-registers, also with another control plane replica.
    /// </summary>
    public static string ProxyId(ProxyIdentity normalized) => $"{normalized.Instance}.{normalized.Namespace}";

    private static void CheckOptionalPort(List<string> problems, string field, int port)
    {
        if (port is < 0 or > 65535)
        {
            problems.Add($"{field} {port} is out of range 0-65535 (0 when there is none)");
        }
    }
}
