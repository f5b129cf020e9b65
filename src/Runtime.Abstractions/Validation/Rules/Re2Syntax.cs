using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>
/// Reads an RE2 pattern (Envoy's and Go's engine) far enough to find what RE2 rejects and to rewrite RE2-only syntax
/// (<c>(?P&lt;n&gt;</c>, <c>\pL</c>, <c>\p{Greek}</c>, <c>\Q..\E</c>, <c>(?U)</c>, <c>[[:alpha:]]</c>, <c>\x{..}</c>, <c>\C</c>)
/// into a .NET pattern with the same structure. The rewrite is only compiled to check syntax, never used to match.
/// </summary>
internal static partial class Re2Syntax
{
    private const int MaxRepeat = 1000;

    private static readonly HashSet<string> DotnetCategories =
    [
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
        "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn",
    ];

    /// <summary>The .NET rewrite, or <see langword="null"/> with the first construct RE2 does not support.</summary>
    public static string? Translate(string pattern, out string? unsupported)
    {
        unsupported = null;
        var output = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        var classStart = 0;
        var afterQuantifier = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var quantifier = false;
            if (c == '\\')
            {
                if (!Escape(pattern, ref i, output, inClass, out unsupported))
                {
                    return null;
                }
            }
            else if (inClass)
            {
                if (c == ']' && output.Length > classStart)
                {
                    inClass = false;
                }
                else if (c == '[' && pattern.AsSpan(i).StartsWith("[:", StringComparison.Ordinal) && pattern.IndexOf(":]", i + 2, StringComparison.Ordinal) is > 0 and var end)
                {
                    // POSIX class such as [:alpha:] or [:^digit:]; a shorthand class keeps the range rules the same.
                    output.Append(pattern[i + 2] == '^' ? @"\W" : @"\w");
                    i = end + 1;
                    continue;
                }
                else if (c == '[')
                {
                    // A literal '[' in RE2; .NET would read "-[" as class subtraction.
                    output.Append(@"\[");
                    continue;
                }

                output.Append(c);
            }
            else if (c == '[')
            {
                inClass = true;
                output.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    output.Append('^');
                    i++;
                }

                classStart = output.Length;
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    // A ']' right after '[' or '[^' is a literal in both engines.
                    output.Append(@"\]");
                    i++;
                }
            }
            else if (c == '(' && i + 1 < pattern.Length && pattern[i + 1] == '?')
            {
                if (!Group(pattern, ref i, output, out unsupported))
                {
                    return null;
                }
            }
            else if (c is '*' or '+' or '?')
            {
                if (afterQuantifier && c == '+')
                {
                    unsupported = "a possessive quantifier (" + pattern[i - 1] + "+)";
                    return null;
                }

                quantifier = c != '?' || !afterQuantifier;
                output.Append(c);
            }
            else if (c == '{' && Repeat(pattern, i) is (var length, var count))
            {
                if (count > MaxRepeat)
                {
                    unsupported = $"a repeat count above {MaxRepeat} ({pattern.Substring(i, length)})";
                    return null;
                }

                output.Append(pattern, i, length);
                i += length - 1;
                quantifier = true;
            }
            else
            {
                output.Append(c);
            }

            afterQuantifier = quantifier;
        }

        return output.ToString();
    }

    private static bool Escape(string pattern, ref int i, StringBuilder output, bool inClass, out string? unsupported)
    {
        unsupported = null;
        if (i + 1 >= pattern.Length)
        {
            output.Append('\\');
            return true;
        }

        var next = pattern[++i];
        switch (next)
        {
            case 'Q':
                var end = pattern.IndexOf(@"\E", i + 1, StringComparison.Ordinal);
                var literal = end < 0 ? pattern[(i + 1)..] : pattern[(i + 1)..end];
                output.Append(inClass ? EscapeInClass(literal) : Regex.Escape(literal));
                i = end < 0 ? pattern.Length - 1 : end + 1;
                return true;
            case 'p' or 'P':
                return UnicodeClass(pattern, ref i, output, next, out unsupported);
            case 'x' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                var close = pattern.IndexOf('}', i + 2);
                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 2, close - i - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > 0x10FFFF)
                {
                    unsupported = "an invalid \\x{...} escape";
                    return false;
                }

                output.Append(CultureInfo.InvariantCulture, $@"\u{Math.Min(code, 0xFFFF):X4}");
                i = close;
                return true;
            case 'C':
                output.Append(inClass ? "a" : ".");
                return true;
            case >= '1' and <= '7' when i + 1 < pattern.Length && pattern[i + 1] is >= '0' and <= '7':
                // Two or three octal digits are a character code in RE2; a single digit is a backreference.
                var digits = i + 2 < pattern.Length && pattern[i + 2] is >= '0' and <= '7' ? 3 : 2;
                output.Append(CultureInfo.InvariantCulture, $@"\u{Convert.ToInt32(pattern.Substring(i, digits), 8):X4}");
                i += digits - 1;
                return true;
            case >= '1' and <= '9':
                unsupported = $"a backreference (\\{next})";
                return false;
            case 'k' or 'Z' or 'G':
                unsupported = $"the escape \\{next}";
                return false;
            default:
                output.Append('\\').Append(next);
                return true;
        }
    }

    private static bool UnicodeClass(string pattern, ref int i, StringBuilder output, char kind, out string? unsupported)
    {
        unsupported = null;
        string name;
        if (i + 1 < pattern.Length && pattern[i + 1] == '{')
        {
            var close = pattern.IndexOf('}', i + 2);
            if (close < 0)
            {
                unsupported = $"an unterminated \\{kind}{{...}} class";
                return false;
            }

            name = pattern[(i + 2)..close];
            i = close;
        }
        else if (i + 1 < pattern.Length)
        {
            name = pattern[++i].ToString();
        }
        else
        {
            unsupported = $"a \\{kind} without a class name";
            return false;
        }

        var negated = name.StartsWith('^');
        name = negated ? name[1..] : name;
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetter(ch) || ch == '_'))
        {
            unsupported = $"the Unicode class name '{name}'";
            return false;
        }

        // Scripts (Greek, Han, Latin...) have no .NET equivalent by that name; a category keeps the syntax check exact.
        var category = DotnetCategories.Contains(name) ? name : "L";
        output.Append('\\').Append((negated ^ (kind == 'P')) ? 'P' : 'p').Append('{').Append(category).Append('}');
        return true;
    }

    private static bool Group(string pattern, ref int i, StringBuilder output, out string? unsupported)
    {
        unsupported = null;
        var rest = pattern.AsSpan(i + 2);
        if (rest.StartsWith("P<", StringComparison.Ordinal))
        {
            output.Append("(?<");
            i += 3;
            return true;
        }

        if (rest.StartsWith("<=", StringComparison.Ordinal) || rest.StartsWith("<!", StringComparison.Ordinal) || rest is ['=' or '!' or '>' or '(' or '#' or '\'', ..])
        {
            var length = rest.StartsWith("<", StringComparison.Ordinal) ? 4 : 3;
            unsupported = $"'{pattern.Substring(i, Math.Min(length, pattern.Length - i))}' (lookarounds, atomic groups, conditionals and comments are not RE2)";
            return false;
        }

        if (rest.StartsWith("<", StringComparison.Ordinal) || rest.StartsWith(":", StringComparison.Ordinal))
        {
            output.Append("(?");
            i += 1;
            return true;
        }

        // Flags: (?imsU) or (?imsU:...), with an optional '-' part. .NET has no U (ungreedy), which does not change syntax.
        var flagsEnd = i + 2;
        while (flagsEnd < pattern.Length && pattern[flagsEnd] is 'i' or 'm' or 's' or 'U' or '-')
        {
            flagsEnd++;
        }

        if (flagsEnd >= pattern.Length || pattern[flagsEnd] is not (')' or ':') || flagsEnd == i + 2)
        {
            unsupported = $"the group syntax '{pattern.Substring(i, Math.Min(4, pattern.Length - i))}'";
            return false;
        }

        var flags = pattern[(i + 2)..flagsEnd].Replace("U", "", StringComparison.Ordinal).TrimEnd('-');
        if (flags.Length > 0 && flags != "-")
        {
            output.Append("(?").Append(flags).Append(pattern[flagsEnd]);
        }
        else if (pattern[flagsEnd] == ':')
        {
            output.Append("(?:");
        }

        i = flagsEnd;
        return true;
    }

    // RE2 reads {n}, {n,} and {n,m} as repeats and any other '{' as a literal.
    private static (int Length, long Count)? Repeat(string pattern, int start)
    {
        var match = RepeatPattern().Match(pattern, start);
        if (!match.Success || match.Index != start)
        {
            return null;
        }

        var upper = match.Groups[2].Value;
        var count = Math.Max(Number(match.Groups[1].Value), upper.Length > 0 ? Number(upper) : 0);
        return (match.Length, count);
    }

    private static long Number(string digits) => digits.Length > 9 ? long.MaxValue : long.Parse(digits, CultureInfo.InvariantCulture);

    private static string EscapeInClass(string literal) => Regex.Replace(literal, @"[\\\]\[\^\-]", m => "\\" + m.Value);

    [GeneratedRegex(@"\G\{([0-9]+)(?:,([0-9]*))?\}")]
    private static partial Regex RepeatPattern();
}
