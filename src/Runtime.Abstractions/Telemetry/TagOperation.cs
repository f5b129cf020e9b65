namespace Runtime.Abstractions.Telemetry;

/// <summary>What a tag override does.</summary>
public enum TagOperation
{
    /// <summary><c>UPSERT</c>: Add or replace the tag.</summary>
    Upsert,

    /// <summary><c>REMOVE</c>: Remove the tag.</summary>
    Remove,
}
