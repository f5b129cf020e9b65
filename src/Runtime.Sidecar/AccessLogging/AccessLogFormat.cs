namespace Runtime.Sidecar.AccessLogging;

/// <summary>How access-log lines are written.</summary>
public enum AccessLogFormat
{
    /// <summary>Envoy's default text format, followed by the mesh reason and the two identities.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
