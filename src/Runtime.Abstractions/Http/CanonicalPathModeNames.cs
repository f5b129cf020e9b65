namespace Runtime.Abstractions.Http;

/// <summary>
/// The spellings of <see cref="CanonicalPathMode"/> on command lines and in environment variables: <c>STRICT</c>
/// and Istio's MeshConfig <c>pathNormalization</c> names, case-insensitive.
/// </summary>
public static class CanonicalPathModeNames
{
    /// <summary>The accepted names, for help texts and error messages.</summary>
    public const string All = "STRICT, NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES";

    /// <summary>The mode <paramref name="name"/> spells, or null when it spells none.</summary>
    public static CanonicalPathMode? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "STRICT" => CanonicalPathMode.Strict,
            "NONE" => CanonicalPathMode.None,
            "BASE" => CanonicalPathMode.Base,
            "MERGE_SLASHES" => CanonicalPathMode.MergeSlashes,
            "DECODE_AND_MERGE_SLASHES" => CanonicalPathMode.DecodeAndMergeSlashes,
            _ => null,
        };
    }
}
