using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Istio's duration rule: at least 1ms, with millisecond precision.</summary>
internal static class DurationRules
{
    public static void Validate(string path, MeshDuration? duration, IssueSink issues)
    {
        if (duration is not MeshDuration value)
        {
            return;
        }

        if (value.Value < TimeSpan.FromMilliseconds(1))
        {
            issues.Error(path, $"duration {value.Text} is shorter than 1ms", "use at least \"1ms\"");
        }
        else if (!value.IsWholeMilliseconds)
        {
            issues.Error(path, $"duration {value.Text} is finer than millisecond precision", "round it to whole milliseconds, for example \"1500ms\"");
        }
    }
}
