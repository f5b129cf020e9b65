using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>A StringMatch is a one-of: exactly one of exact, prefix and regex.</summary>
internal static class StringMatchRules
{
    public static void Validate(string path, StringMatch? match, IssueSink issues)
    {
        if (match is null)
        {
            return;
        }

        var set = new[] { ("exact", match.Exact), ("prefix", match.Prefix), ("regex", match.Regex) }.Where(p => p.Item2 is not null).ToList();
        if (set.Count == 0)
        {
            // Istio accepts an empty match; it constrains nothing.
            issues.Warning(path, "string match sets none of exact, prefix and regex, so it matches everything", "set one, for example prefix: /api, or remove it");
        }
        else if (set.Count > 1)
        {
            issues.Error(path, $"string match sets {string.Join(" and ", set.Select(p => p.Item1))}; only one is allowed", $"keep only {set[0].Item1}");
        }

        if (match.Regex is { Length: 0 })
        {
            issues.Error($"{path}.regex", "regex string match must not be empty", "give a regex, or use prefix: / to match everything");
        }

        RegexRules.Validate($"{path}.regex", match.Regex, issues);
    }

    public static void ValidateMap(string path, IReadOnlyDictionary<string, StringMatch>? matches, IssueSink issues, bool headerNames)
    {
        foreach (var (name, match) in matches ?? new Dictionary<string, StringMatch>())
        {
            var entry = Binding.FieldPath.Field(path, name);
            if (headerNames)
            {
                HeaderRules.ValidateMatchName(entry, name, issues);
            }

            // An empty match ({}) in headers means "header present", which Istio allows.
            if (match.Exact is not null || match.Prefix is not null || match.Regex is not null)
            {
                Validate(entry, match, issues);
            }
        }
    }
}
