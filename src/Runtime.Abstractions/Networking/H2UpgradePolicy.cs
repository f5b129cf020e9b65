namespace Runtime.Abstractions.Networking;

/// <summary>Whether HTTP/1.1 connections are upgraded to HTTP/2 upstream.</summary>
public enum H2UpgradePolicy
{
    /// <summary><c>DEFAULT</c>: The mesh-wide default.</summary>
    Default,

    /// <summary><c>DO_NOT_UPGRADE</c>: Never upgrade.</summary>
    DoNotUpgrade,

    /// <summary><c>UPGRADE</c>: Always upgrade.</summary>
    Upgrade,
}
