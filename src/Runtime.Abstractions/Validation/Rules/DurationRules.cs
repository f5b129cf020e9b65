using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Istio's duration rule: at least 1ms, with millisecond precision (some timeouts also allow 0 to disable them).</summary>
internal static class DurationRules
{
    public static void Validate(string path, MeshDuration? duration, IssueSink issues) => Validate(path, duration, issues, allowZero: false);

    /// <summary>For timeouts where <c>0s</c> means "disabled" (connection pool idle timeouts): 0 or at least 1ms.</summary>
    public static void ValidateZeroDisables(string path, MeshDuration? duration, IssueSink issues) => Validate(path, duration, issues, allowZero: true);

    private static void Validate(string path, MeshDuration? duration, IssueSink issues, bool allowZero)
    {
        if (duration is not MeshDuration value || (allowZero && value.Value == TimeSpan.Zero && value.IsWholeMilliseconds))
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
