namespace Runtime.Abstractions.Http;

/// <summary>
/// How request paths are normalized before authorization, routing and forwarding (flag <c>--path-normalization</c>,
/// environment <c>MESH_PATH_NORMALIZATION</c>). The Istio names are the values of MeshConfig
/// <c>pathNormalization</c>, offered for compatibility; <see cref="Strict"/> is the default and is stricter than
/// Istio's default <see cref="Base"/>. Whatever the mode, a path with <c>%00</c>, a control character, an invalid
/// percent-encoding or a <c>;</c> parameter on a <c>.</c>/<c>..</c> segment is refused with 400.
/// </summary>
public enum CanonicalPathMode
{
    /// <summary>
    /// The default: unreserved <c>%XX</c> decoded once, <c>%2F</c>/<c>%5C</c> decoded and <c>\</c> read as
    /// <c>/</c>, dot segments removed (RFC 3986 5.2.4), slashes merged, other encodings kept with upper-case hex.
    /// </summary>
    Strict,

    /// <summary>Istio <c>NONE</c>: the path passes unmodified (the fragment is still dropped, the checks still apply).</summary>
    None,

    /// <summary>Istio <c>BASE</c>: RFC 3986 normalization: unreserved <c>%XX</c> decoded, <c>\</c> read as <c>/</c>, dot segments removed.</summary>
    Base,

    /// <summary>Istio <c>MERGE_SLASHES</c>: <see cref="Base"/> plus consecutive slashes merged.</summary>
    MergeSlashes,

    /// <summary>Istio <c>DECODE_AND_MERGE_SLASHES</c>: <see cref="MergeSlashes"/> plus <c>%2F</c> and <c>%5C</c> decoded to <c>/</c> first.</summary>
    DecodeAndMergeSlashes,
}
