namespace Runtime.Silo.Ca;

/// <summary>The steps of a root rotation, in order (<c>RootRotationStep</c> on the wire).</summary>
internal enum RotationStep
{
    /// <summary>Create a new root and publish the combined bundle (stable to prepared).</summary>
    Prepare,

    /// <summary>Sign with the new root (prepared to switched).</summary>
    Switch,

    /// <summary>Drop the old root (switched to stable).</summary>
    Finish,
}
