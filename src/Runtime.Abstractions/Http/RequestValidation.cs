using System.Globalization;

namespace Runtime.Abstractions.Http;

/// <summary>
/// Request-level checks made before anything reads the request: a method must be an upper-case token (methods are
/// case-sensitive, and <c>get</c> is not <c>GET</c> to a policy that names <c>GET</c>), and a header name must be a
/// token (no whitespace or control characters). Each failure is a sentence naming what and where, answered 400.
/// </summary>
public static class RequestValidation
{
    /// <summary>Returns why the method is refused, or null. Standard and extension methods alike must be upper-case tokens.</summary>
    public static string? CheckMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Length == 0)
        {
            return "the request has no method";
        }

        foreach (var c in method)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return $"the method '{CanonicalPath.Printable(method)}' is not upper-case: methods are case-sensitive, send '{method.ToUpperInvariant()}'";
            }

            if (!IsTokenChar(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the method '{CanonicalPath.Printable(method)}' holds 0x{(int)c:X2}, which is not a token character");
            }
        }

        return null;
    }

    /// <summary>Returns why a header name is refused, or null. HTTP/2 pseudo-headers (<c>:path</c>) are allowed.</summary>
    /// <typeparam name="TValue">The header value type (ASP.NET Core's <c>StringValues</c>, or a plain list).</typeparam>
    public static string? CheckHeaderNames<TValue>(IEnumerable<KeyValuePair<string, TValue>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in headers)
        {
            var name = header.Key;
            if (name.Length == 0)
            {
                return "a request header has an empty name";
            }

            for (var i = name[0] == ':' ? 1 : 0; i < name.Length; i++)
            {
                if (!IsTokenChar(name[i]))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the request header name '{CanonicalPath.Printable(name)}' holds 0x{(int)name[i]:X2} at offset {i}; header names are tokens, without whitespace or control characters");
                }
            }
        }

        return null;
    }

    /// <summary>RFC 9110 tchar.</summary>
    internal static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
