namespace Runtime.Abstractions.Binding;

/// <summary>Builds issue paths such as <c>spec.http[1].route[0].weight</c> the same way everywhere.</summary>
internal static class FieldPath
{
    public static string Field(string parent, string name)
    {
        // Map keys such as label names may contain dots; bracket them so the path stays unambiguous.
        var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (!simple)
        {
            return $"{parent}[\"{name}\"]";
        }

        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path one level up, or <see langword="null"/> at the root.</summary>
    public static string? Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        // A dot inside a bracketed key is not a separator; walk back to the bracket in that case.
        var quoted = path.LastIndexOf("[\"", StringComparison.Ordinal);
        if (quoted >= 0 && quoted < cut && path.EndsWith("\"]", StringComparison.Ordinal))
        {
            cut = quoted;
        }

        return cut <= 0 ? (path.Length == 0 ? null : "") : path[..cut];
    }
}
