namespace Runtime.Silo.Ca;

/// <summary>Where a root rotation stands (<c>RootRotationPhase</c> on the wire).</summary>
internal enum RotationPhase
{
    /// <summary>One root; it signs.</summary>
    Stable,

    /// <summary>The bundle holds the old and the new root; the old one still signs.</summary>
    Prepared,

    /// <summary>Both roots trusted; the new one signs.</summary>
    Switched,
}
