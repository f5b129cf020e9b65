namespace Runtime.Silo.Store;

/// <summary>The kind of a <see cref="ConfigChange"/>.</summary>
public enum ConfigChangeType
{
    /// <summary>The resource was created, or is part of the initial state of a watch.</summary>
    Added,

    /// <summary>The resource changed.</summary>
    Modified,

    /// <summary>The resource was deleted; the event carries its last stored state.</summary>
    Deleted,

    /// <summary>End of the initial state of a watch; carries no resource.</summary>
    Bookmark,
}
