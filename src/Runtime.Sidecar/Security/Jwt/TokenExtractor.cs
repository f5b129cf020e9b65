using System.Text;
using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>Finds tokens in a request's headers, query string and cookies, and removes a query parameter or a cookie.</summary>
internal static class TokenExtractor
{
    /// <summary>Every token at <paramref name="locations"/>; a header value without the location's prefix is not a token.</summary>
    public static IReadOnlyList<FoundToken> Find(HttpRequest request, IReadOnlyList<TokenLocation> locations)
    {
        var found = new List<FoundToken>();
        foreach (var location in locations)
        {
            if (location.Header is { } header)
            {
                foreach (var value in request.Headers[header])
                {
                    // RFC 7235: the auth scheme (the usual prefix) is case-insensitive.
                    if (value is not null && value.StartsWith(location.Prefix, StringComparison.OrdinalIgnoreCase)
                        && value[location.Prefix.Length..].Trim() is { Length: > 0 } token)
                    {
                        found.Add(new FoundToken(token, location));
                    }
                }
            }
            else if (location.Parameter is { } parameter && request.Query.TryGetValue(parameter, out var values))
            {
                foreach (var value in values)
                {
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        found.Add(new FoundToken(value.Trim(), location));
                    }
                }
            }
            else if (location.Cookie is { } cookie && request.Cookies.TryGetValue(cookie, out var token) && !string.IsNullOrWhiteSpace(token))
            {
                found.Add(new FoundToken(token.Trim(), location));
            }
        }

        return found;
    }

    /// <summary><paramref name="query"/> without any <paramref name="parameter"/>; other parameters keep their exact encoding and order.</summary>
    public static QueryString WithoutParameter(QueryString query, string parameter)
    {
        if (!query.HasValue)
        {
            return query;
        }

        var kept = new StringBuilder();
        foreach (var pair in query.Value!.TrimStart('?').Split('&'))
        {
            var name = pair.Split('=', 2)[0];
            if (pair.Length == 0 || Uri.UnescapeDataString(name.Replace('+', ' ')) == parameter)
            {
                continue;
            }

            kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
        }

        return kept.Length == 0 ? QueryString.Empty : new QueryString(kept.ToString());
    }

    /// <summary>Removes the cookie <paramref name="name"/> from the request's <c>Cookie</c> headers, keeping the other cookies.</summary>
    public static void RemoveCookie(IHeaderDictionary headers, string name)
    {
        var kept = headers.Cookie
            .SelectMany(value => (value ?? "").Split(';'))
            .Select(pair => pair.Trim())
            .Where(pair => pair.Length > 0 && pair.Split('=', 2)[0].Trim() != name)
            .ToList();
        if (kept.Count == 0)
        {
            headers.Remove("cookie");
        }
        else
        {
            headers.Cookie = string.Join("; ", kept);
        }
    }
}
