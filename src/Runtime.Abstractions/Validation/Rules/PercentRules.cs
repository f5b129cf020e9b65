using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Percentages lie in 0..100.</summary>
internal static class PercentRules
{
    public static void Validate(string path, Percent? percent, IssueSink issues) =>
        ValidateRange($"{path}.value", percent?.Value, issues);

    public static void ValidateRange(string path, double? value, IssueSink issues)
    {
        if (value is double v && v is < 0 or > 100)
        {
            issues.Error(path, $"percentage {v} is outside 0..100", "use a value from 0 to 100");
        }
    }
}
