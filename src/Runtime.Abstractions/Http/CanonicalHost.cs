namespace Runtime.Abstractions.Http;

/// <summary>The host a request is matched on: lower-case, port and trailing dot stripped (<c>Reviews.:9080</c> → <c>reviews</c>).</summary>
public static class CanonicalHost
{
    /// <summary>Returns the matching form of an authority; the same string when it is already in that form.</summary>
    public static string ForMatching(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var host = authority.AsSpan();
        if (host.StartsWith("["))
        {
            // IPv6 literal: "[::1]:8080" keeps its brackets, drops the port.
            var close = host.IndexOf(']');
            host = close < 0 ? host : host[..(close + 1)];
        }
        else
        {
            var colon = host.LastIndexOf(':');
            if (colon >= 0 && colon == host.IndexOf(':'))
            {
                host = host[..colon];
            }
        }

        if (host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (!host.ContainsAnyInRange('A', 'Z'))
        {
            return host.Length == authority.Length ? authority : host.ToString();
        }

        return string.Create(host.Length, host.ToString(), static (span, text) => text.AsSpan().ToLowerInvariant(span));
    }
}
