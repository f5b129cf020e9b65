namespace Runtime.Sidecar.LoadBalancing;

/// <summary>Reads one cookie out of a <c>Cookie</c> request header without allocating.</summary>
internal static class CookieHeader
{
    /// <summary>Finds the cookie named <paramref name="name"/> in a <c>Cookie</c> header value.</summary>
    public static bool TryGet(string? header, string name, out ReadOnlySpan<char> value)
    {
        var rest = header.AsSpan();
        while (!rest.IsEmpty)
        {
            var semi = rest.IndexOf(';');
            var pair = (semi < 0 ? rest : rest[..semi]).Trim();
            rest = semi < 0 ? [] : rest[(semi + 1)..];
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq].TrimEnd().SequenceEqual(name))
            {
                value = pair[(eq + 1)..].Trim().Trim('"');
                return true;
            }
        }

        value = default;
        return false;
    }
}
