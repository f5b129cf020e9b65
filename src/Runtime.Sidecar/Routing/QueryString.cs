namespace Runtime.Sidecar.Routing;

/// <summary>Reads one parameter out of a raw query string without allocating.</summary>
internal static class QueryString
{
    /// <summary>Finds the first <paramref name="name"/> parameter; a parameter without <c>=</c> has an empty value.</summary>
    /// <param name="query">The raw query, without the leading <c>?</c>.</param>
    /// <param name="name">The parameter name, compared exactly (names are case-sensitive, as in Envoy).</param>
    /// <param name="value">The raw (still percent-encoded) value.</param>
    public static bool TryGet(string query, string name, out ReadOnlySpan<char> value)
    {
        var rest = query.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key.SequenceEqual(name))
            {
                value = eq < 0 ? [] : pair[(eq + 1)..];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Percent-decodes a value; allocates only when the value contains <c>%</c>.</summary>
    public static ReadOnlySpan<char> Decode(ReadOnlySpan<char> raw) =>
        raw.IndexOf('%') < 0 ? raw : Uri.UnescapeDataString(raw.ToString()).AsSpan();
}
