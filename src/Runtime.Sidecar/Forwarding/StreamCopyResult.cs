namespace Runtime.Sidecar.Forwarding;

/// <summary>How a <see cref="StreamCopier"/> copy ended, and which side failed.</summary>
internal enum StreamCopyResult
{
    /// <summary>The source reached its end and everything was written.</summary>
    Completed,

    /// <summary>Reading the source failed.</summary>
    SourceFailed,

    /// <summary>Writing or flushing the destination failed.</summary>
    DestinationFailed,

    /// <summary>The copy's cancellation source fired.</summary>
    Canceled,
}
