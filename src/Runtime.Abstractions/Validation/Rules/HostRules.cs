using System.Net;
using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Host names as Istio accepts them: DNS names, optionally with one leading <c>*</c> wildcard, or IPs.</summary>
internal static partial class HostRules
{
    public static void Validate(string path, string? host, IssueSink issues, bool allowIp = true)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            issues.Error(path, "host must not be empty", "give a service name such as reviews or reviews.default.svc.cluster.local");
            return;
        }

        if (host == "*")
        {
            return;
        }

        if (allowIp && IPAddress.TryParse(host, out _))
        {
            return;
        }

        // Like Istio: the first label may be a wildcard ("*", "*foo", "*-foo"); one trailing dot marks a fully qualified name.
        var labels = (host.Length > 1 && host.EndsWith('.') ? host[..^1] : host).Split('.');
        var first = labels[0] == "*" ? "a" : labels[0].StartsWith("*-", StringComparison.Ordinal) ? labels[0][2..] : labels[0].StartsWith('*') ? labels[0][1..] : labels[0];
        if (labels.Skip(1).Append(first).Any(label => label.Contains('*', StringComparison.Ordinal)))
        {
            issues.Error(path, $"host '{host}' has a wildcard that is not leading; only '*' or a '*.' prefix is allowed", "use a leading wildcard such as *.example.com");
            return;
        }

        if (host.Length > 255 || !labels.Skip(1).Append(first).All(label => Label().IsMatch(label)))
        {
            issues.Error(path, $"host '{host}' is not a valid DNS name", "use letters, digits and '-' in dot-separated labels, for example reviews.default.svc.cluster.local");
        }
    }

    /// <summary>A first label such as <c>*foo</c>: valid in VirtualService and DestinationRule hosts, not in Gateway hosts.</summary>
    public static bool IsPartialWildcard(string? host) =>
        host is { Length: > 1 } && host.Contains('*', StringComparison.Ordinal) && !host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>Gateway and Sidecar hosts may be prefixed by a namespace: <c>prod/*.example.com</c>, <c>./reviews</c>, <c>*/x</c>.</summary>
    public static void ValidateWithNamespace(string path, string? host, IssueSink issues)
    {
        var slash = host?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash >= 0)
        {
            var ns = host![..slash];
            if (ns is not ("*" or "." or "~") && !NameRules.IsLabel(ns))
            {
                issues.Error(path, $"namespace '{ns}' in host '{host}' is not valid", "use namespace/host, ./host or */host");
            }

            host = host[(slash + 1)..];
        }

        if (IsPartialWildcard(host))
        {
            issues.Error(path, $"partial wildcard host '{host}' is not allowed on a gateway", "use '*' or a '*.' prefix such as *.example.com");
            return;
        }

        Validate(path, host, issues);
    }

    [GeneratedRegex("^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex Label();
}
