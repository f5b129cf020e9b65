using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Admin;

/// <summary>The sidecar's minimum log level, changeable at run time through the admin port.</summary>
internal sealed class LogLevelSwitch(LogLevel initial)
{
    private volatile int _level = (int)initial;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    public bool IsEnabled(LogLevel level) => level >= Level && level != LogLevel.None;
}
