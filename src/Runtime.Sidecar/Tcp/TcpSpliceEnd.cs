namespace Runtime.Sidecar.Tcp;

/// <summary>Why a splice ended.</summary>
internal enum TcpSpliceEnd
{
    /// <summary>Both sides finished, or one failed: the ordinary end of a tunnel.</summary>
    Finished,

    /// <summary>No bytes either way for the idle timeout (Envoy sets no response flag for it).</summary>
    IdleTimeout,

    /// <summary>The tunnel reached its <c>maxConnectionDuration</c> (Envoy's <c>DT</c> flag).</summary>
    DurationTimeout,
}
