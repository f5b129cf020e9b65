using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Headers that describe one connection (RFC 9110 §7.6.1) and therefore are not forwarded, plus the extra names a
/// <c>Connection</c> header lists.
/// </summary>
internal static class HopByHopHeaders
{
    /// <summary>Whether <paramref name="name"/> is one of the fixed hop-by-hop headers (TE and Upgrade included).</summary>
    public static bool IsHopByHop(string name) => name.Length switch
    {
        2 => Is(name, "TE"),
        7 => Is(name, "Upgrade") || Is(name, "Trailer"),
        10 => Is(name, "Connection") || Is(name, "Keep-Alive"),
        16 => Is(name, "Proxy-Connection"),
        17 => Is(name, "Transfer-Encoding"),
        18 => Is(name, "Proxy-Authenticate"),
        19 => Is(name, "Proxy-Authorization"),
        _ => false,
    };

    /// <summary>
    /// The header names a <c>Connection</c> header nominates besides the well-known tokens, or null when there are
    /// none (the common case: <c>keep-alive</c>, <c>close</c>, <c>upgrade</c> allocate nothing).
    /// </summary>
    public static List<string>? NominatedBy(StringValues connection)
    {
        List<string>? names = null;
        for (var i = 0; i < connection.Count; i++)
        {
            var value = connection[i];
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan()[range].Trim();
                if (token.IsEmpty
                    || token.Equals("close", StringComparison.OrdinalIgnoreCase)
                    || token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                (names ??= []).Add(token.ToString());
            }
        }

        return names;
    }

    /// <summary>Whether <paramref name="name"/> appears in <paramref name="nominated"/> (case-insensitive).</summary>
    public static bool IsNominated(List<string>? nominated, string name)
    {
        if (nominated is null)
        {
            return false;
        }

        foreach (var candidate in nominated)
        {
            if (Is(name, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a TE header value includes the <c>trailers</c> token (the only TE value forwarded).</summary>
    public static bool AllowsTrailers(StringValues te)
    {
        for (var i = 0; i < te.Count; i++)
        {
            var value = te[i];
            if (value is null)
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan()[range].Trim();
                var semicolon = token.IndexOf(';');
                if (semicolon >= 0)
                {
                    token = token[..semicolon].TrimEnd();
                }

                if (token.Equals("trailers", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Is(string name, string known) => string.Equals(name, known, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether an <c>Upgrade</c> header asks for WebSocket and nothing else.</summary>
    public static bool IsWebSocketUpgrade(StringValues upgrade)
    {
        if (upgrade.Count == 0)
        {
            return false;
        }

        foreach (var value in upgrade)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!string.Equals(token, "websocket", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
