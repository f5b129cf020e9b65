namespace Runtime.Abstractions.Security;

/// <summary>The action of an authorization policy.</summary>
public enum AuthorizationAction
{
    /// <summary><c>ALLOW</c>: Allow matching requests.</summary>
    Allow,

    /// <summary><c>DENY</c>: Deny matching requests.</summary>
    Deny,

    /// <summary><c>AUDIT</c>: Audit matching requests.</summary>
    Audit,

    /// <summary><c>CUSTOM</c>: Delegate to an external authorizer.</summary>
    Custom,
}
