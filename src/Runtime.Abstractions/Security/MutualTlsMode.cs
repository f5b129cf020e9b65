namespace Runtime.Abstractions.Security;

/// <summary>Mutual TLS modes.</summary>
public enum MutualTlsMode
{
    /// <summary><c>UNSET</c>: Inherit from the parent scope.</summary>
    Unset,

    /// <summary><c>DISABLE</c>: Plain text only.</summary>
    Disable,

    /// <summary><c>PERMISSIVE</c>: Both plain text and mutual TLS.</summary>
    Permissive,

    /// <summary><c>STRICT</c>: Mutual TLS only.</summary>
    Strict,
}
