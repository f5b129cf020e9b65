namespace Runtime.Sidecar.Routing;

/// <summary>The comparison a <see cref="StringMatcher"/> performs.</summary>
internal enum StringMatchKind
{
    /// <summary>Whole value equals.</summary>
    Exact,

    /// <summary>Value starts with.</summary>
    Prefix,

    /// <summary>Whole value matches a regex.</summary>
    Regex,

    /// <summary>Value is present (an empty <c>StringMatch</c>).</summary>
    Present,
}
