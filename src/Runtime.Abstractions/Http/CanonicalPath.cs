using System.Buffers;
using System.Globalization;
using System.Text;

namespace Runtime.Abstractions.Http;

/// <summary>
/// The one canonical request path, computed once per request and used for authorization, routing and forwarding
/// alike, so no component can see a different path than another (the class of bypass behind Istio's path
/// normalization bulletins).
/// </summary>
/// <remarks>
/// In the default <see cref="CanonicalPathMode.Strict"/> mode, in this order: the fragment is dropped and the query
/// set aside (forwarded unchanged, never matched); <c>%XX</c> of an unreserved character (ALPHA DIGIT <c>- . _ ~</c>)
/// is decoded; <c>%2F</c> and <c>%5C</c> (any case) become <c>/</c>, and so does a raw <c>\</c>; every other
/// <c>%XX</c> is kept encoded with upper-case hex, so <c>%25</c> stays <c>%25</c> and nothing is ever decoded twice
/// (<c>%252F</c> stays <c>%252F</c>); non-ASCII characters and characters a path may not hold are percent-encoded
/// (UTF-8); consecutive slashes are merged; dot segments are removed per RFC 3986 5.2.4 (after decoding, so
/// <c>%2e%2e</c> counts). Paths stay case-sensitive: <c>/Admin</c> and <c>/admin</c> differ. Refused in every mode:
/// <c>%00</c> and any encoded or raw control character, a raw space, an invalid percent-encoding (<c>%zz</c>,
/// <c>%4</c>), and a <c>;</c> parameter on a <c>.</c> or <c>..</c> segment (<c>/..;/</c>, the Tomcat bypass).
/// </remarks>
public static class CanonicalPath
{
    /// <summary>
    /// Normalizes a request target as received (origin-form <c>/p?q</c>, absolute-form <c>http://h/p?q</c>, or
    /// <c>*</c>). Returns the canonical path and raw query, or the reason for a 400. When the path is already
    /// canonical and there is no query, the returned path is <paramref name="rawTarget"/> itself (no allocation).
    /// </summary>
    public static CanonicalPathResult Normalize(string rawTarget, CanonicalPathMode mode = CanonicalPathMode.Strict)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (rawTarget.Length == 0)
        {
            return new CanonicalPathResult("/", "", null);
        }

        if (rawTarget == "*")
        {
            return new CanonicalPathResult("*", "", null);
        }

        var start = 0;
        if (rawTarget[0] != '/')
        {
            var scheme = rawTarget.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
                : rawTarget.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
                : 0;
            if (scheme == 0)
            {
                return CanonicalPathResult.Refused($"the request target '{Printable(rawTarget)}' is neither a path (/...), an absolute http(s) URI nor '*'");
            }

            var authorityEnd = rawTarget.AsSpan(scheme).IndexOfAny('/', '?', '#');
            start = authorityEnd < 0 ? rawTarget.Length : scheme + authorityEnd;
        }

        var fragment = rawTarget.IndexOf('#', start);
        var end = fragment < 0 ? rawTarget.Length : fragment;
        var question = rawTarget.AsSpan(start, end - start).IndexOf('?');
        var pathEnd = question < 0 ? end : start + question;
        var query = question < 0 ? "" : rawTarget[(pathEnd + 1)..end];
        if (CheckQuery(query) is { } queryProblem)
        {
            return CanonicalPathResult.Refused(queryProblem);
        }

        var path = rawTarget.AsSpan(start, pathEnd - start);
        if (path.Length == 0)
        {
            return new CanonicalPathResult("/", query, null);
        }

        if (mode != CanonicalPathMode.None && IsCanonical(path, mode))
        {
            return new CanonicalPathResult(Slice(rawTarget, start, pathEnd), query, null);
        }

        var buffer = ArrayPool<char>.Shared.Rent(path.Length * 9);
        try
        {
            var decoded = Decode(path, mode, buffer, out var problem);
            if (problem is not null)
            {
                return CanonicalPathResult.Refused(problem);
            }

            if (CheckDotParameters(buffer.AsSpan(0, decoded)) is { } dotProblem)
            {
                return CanonicalPathResult.Refused(dotProblem);
            }

            if (mode == CanonicalPathMode.None)
            {
                return new CanonicalPathResult(Slice(rawTarget, start, pathEnd), query, null);
            }

            var merge = mode is CanonicalPathMode.Strict or CanonicalPathMode.MergeSlashes or CanonicalPathMode.DecodeAndMergeSlashes;
            var length = RemoveDotSegments(buffer, decoded, merge);
            var canonical = buffer.AsSpan(0, length);
            return new CanonicalPathResult(canonical.SequenceEqual(path) ? Slice(rawTarget, start, pathEnd) : new string(canonical), query, null);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string Slice(string text, int start, int end) => start == 0 && end == text.Length ? text : text[start..end];

    // True when normalizing cannot change the path and it has nothing to refuse: the common case, kept allocation-free.
    private static bool IsCanonical(ReadOnlySpan<char> path, CanonicalPathMode mode)
    {
        if (path[0] != '/')
        {
            return false;
        }

        var merge = mode != CanonicalPathMode.Base;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (i + 1 < path.Length && ((merge && path[i + 1] == '/') || (path[i + 1] == '.' && IsDotStart(path[(i + 1)..]))))
                {
                    return false;
                }
            }
            else if (c is '%' or '\\' || !IsPathChar(c))
            {
                return false;
            }
        }

        return true;
    }

    // A segment starting here is ".", "..", or one of those with a ';' attached: it needs the slow path.
    private static bool IsDotStart(ReadOnlySpan<char> segment)
    {
        var dots = segment.Length > 1 && segment[1] == '.' ? 2 : 1;
        return dots == segment.Length || segment[dots] is '/' or ';';
    }

    private static int Decode(ReadOnlySpan<char> path, CanonicalPathMode mode, char[] output, out string? problem)
    {
        problem = null;
        var rewrite = mode != CanonicalPathMode.None;
        var decodeSlashes = mode is CanonicalPathMode.Strict or CanonicalPathMode.DecodeAndMergeSlashes;
        var o = 0;
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%')
            {
                if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
                {
                    var shown = path.Slice(i, Math.Min(3, path.Length - i));
                    problem = $"the path has an invalid percent-encoding '{Printable(shown)}' at offset {i}: '%' must be followed by two hex digits";
                    return 0;
                }

                var value = (HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]);
                if (value < 0x20 || value == 0x7F)
                {
                    problem = value == 0
                        ? $"the path holds an encoded NUL (%00) at offset {i}"
                        : string.Create(CultureInfo.InvariantCulture, $"the path holds an encoded control character %{value:X2} at offset {i}");
                    return 0;
                }

                if (!rewrite)
                {
                    path.Slice(i, 3).CopyTo(output.AsSpan(o));
                    o += 3;
                }
                else if (IsUnreserved((char)value))
                {
                    output[o++] = (char)value;
                }
                else if (decodeSlashes && value is '/' or '\\')
                {
                    output[o++] = '/';
                }
                else
                {
                    o = AppendEncoded(output, o, value);
                }

                i += 2;
            }
            else if (c < 0x20 || c == 0x7F)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"the path holds a control character 0x{(int)c:X2} at offset {i}");
                return 0;
            }
            else if (c == ' ')
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"the path holds a space at offset {i}; encode it as %20");
                return 0;
            }
            else if (!rewrite)
            {
                output[o++] = c;
            }
            else if (c == '\\')
            {
                output[o++] = '/';
            }
            else if (c > 0x7E)
            {
                if (Rune.DecodeFromUtf16(path[i..], out var rune, out var used) != OperationStatus.Done)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"the path holds an unpaired surrogate at offset {i}");
                    return 0;
                }

                var bytes = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < bytes; b++)
                {
                    o = AppendEncoded(output, o, utf8[b]);
                }

                i += used - 1;
            }
            else
            {
                o = IsPathChar(c) ? Append(output, o, c) : AppendEncoded(output, o, c);
            }
        }

        return o;
    }

    private static int Append(char[] output, int o, char c)
    {
        output[o] = c;
        return o + 1;
    }

    private static int AppendEncoded(char[] output, int o, int value)
    {
        output[o] = '%';
        output[o + 1] = "0123456789ABCDEF"[value >> 4];
        output[o + 2] = "0123456789ABCDEF"[value & 0xF];
        return o + 3;
    }

    // Tomcat (and others) drop ";params" before resolving dot segments, so "/..;/" would climb a level there while
    // every other component sees an ordinary segment. Refused outright, also when the dot or ';' is encoded.
    private static string? CheckDotParameters(ReadOnlySpan<char> path)
    {
        var rest = path;
        while (rest.Length > 0)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            var semicolon = segment.IndexOf(';');
            var encoded = segment.IndexOf("%3B", StringComparison.OrdinalIgnoreCase);
            var cut = semicolon < 0 ? encoded : encoded < 0 ? semicolon : Math.Min(semicolon, encoded);
            if (cut > 0 && IsDotName(segment[..cut]))
            {
                return $"the path segment '{Printable(segment)}' attaches a ';' parameter to a dot segment, which servers such as Tomcat resolve as '{(DotCount(segment[..cut]) == 1 ? "." : "..")}'";
            }
        }

        return null;
    }

    private static bool IsDotName(ReadOnlySpan<char> name) => DotCount(name) is 1 or 2;

    // The number of dots the name spells ("." / "%2E" count as one), or 0 when it is anything else.
    private static int DotCount(ReadOnlySpan<char> name)
    {
        var dots = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '.')
            {
                dots++;
            }
            else if (name[i] == '%' && i + 2 < name.Length && name[i + 1] == '2' && name[i + 2] is 'e' or 'E')
            {
                dots++;
                i += 2;
            }
            else
            {
                return 0;
            }
        }

        return dots;
    }

    // RFC 3986 5.2.4 over segments; with merge, empty segments between slashes are dropped first.
    private static int RemoveDotSegments(char[] buffer, int length, bool merge)
    {
        var input = buffer.AsSpan(0, length);
        var output = ArrayPool<char>.Shared.Rent(length + 1);
        var starts = ArrayPool<int>.Shared.Rent(length + 1);
        try
        {
            var o = 0;
            var depth = 0;
            var position = input.Length > 0 && input[0] == '/' ? 1 : 0;
            while (true)
            {
                var slash = input[position..].IndexOf('/');
                var segmentEnd = slash < 0 ? input.Length : position + slash;
                var segment = input[position..segmentEnd];
                var last = slash < 0;
                if (segment.Length == 0 && merge && !last)
                {
                    // "//": dropped.
                }
                else if (segment is ".")
                {
                    if (last)
                    {
                        output[o++] = '/';
                    }
                }
                else if (segment is "..")
                {
                    if (depth > 0)
                    {
                        o = starts[--depth];
                    }

                    if (last)
                    {
                        output[o++] = '/';
                    }
                }
                else
                {
                    starts[depth++] = o;
                    output[o++] = '/';
                    segment.CopyTo(output.AsSpan(o));
                    o += segment.Length;
                }

                if (last)
                {
                    break;
                }

                position = segmentEnd + 1;
            }

            if (o == 0)
            {
                output[o++] = '/';
            }

            output.AsSpan(0, o).CopyTo(buffer);
            return o;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(output);
            ArrayPool<int>.Shared.Return(starts);
        }
    }

    private static string? CheckQuery(string query)
    {
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c < 0x20 || c == 0x7F)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the query holds a control character 0x{(int)c:X2} at offset {i}");
            }

            if (c == '%' && i + 2 < query.Length && query[i + 1] == '0' && query[i + 2] == '0')
            {
                return string.Create(CultureInfo.InvariantCulture, $"the query holds an encoded NUL (%00) at offset {i}");
            }
        }

        return null;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>RFC 3986 unreserved: ALPHA DIGIT - . _ ~</summary>
    internal static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    // pchar plus '/': unreserved, sub-delims, ':' and '@'. '%' is handled by the caller.
    private static bool IsPathChar(char c) =>
        IsUnreserved(c) || c is '/' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@';

    /// <summary>
    /// <paramref name="text"/> for a log line or an error message: control characters shown as <c>\xNN</c>, cut
    /// after 200 characters.
    /// </summary>
    public static string Printable(ReadOnlySpan<char> text)
    {
        var shown = text.Length > 200 ? text[..200] : text;
        var builder = new StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            if (c < 0x20 || c == 0x7F)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > 200 ? builder.Append("...").ToString() : builder.ToString();
    }
}
