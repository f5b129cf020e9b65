namespace Runtime.Silo.Store;

/// <summary>What an apply did to one resource.</summary>
public enum ApplyOutcome
{
    /// <summary>The resource did not exist and was stored.</summary>
    Created,

    /// <summary>The resource existed and its apiVersion, spec, labels or annotations changed.</summary>
    Configured,

    /// <summary>The resource existed with identical content; nothing was written.</summary>
    Unchanged,
}
