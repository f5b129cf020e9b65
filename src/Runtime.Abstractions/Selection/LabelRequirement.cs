namespace Runtime.Abstractions.Selection;

/// <summary>One requirement of a <see cref="LabelSelector"/>, for example <c>tier in (web,api)</c>.</summary>
public sealed record LabelRequirement
{
    /// <summary>Creates a requirement.</summary>
    /// <param name="key">The label key.</param>
    /// <param name="operator">How the label is tested.</param>
    /// <param name="values">The values: one for equality operators, one or more for set operators, none otherwise.</param>
    public LabelRequirement(string key, LabelSelectorOperator @operator, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        Key = key;
        Operator = @operator;
        Values = values;
    }

    /// <summary>The label key, for example <c>app</c> or <c>example.com/tier</c>.</summary>
    public string Key { get; }

    /// <summary>How the label is tested.</summary>
    public LabelSelectorOperator Operator { get; }

    /// <summary>The values the operator compares with; empty for <see cref="LabelSelectorOperator.Exists"/> and <see cref="LabelSelectorOperator.DoesNotExist"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Whether <paramref name="labels"/> satisfy this requirement.</summary>
    /// <param name="labels">The labels of the object tested.</param>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelSelectorOperator.Equals => present && string.Equals(value, Values[0], StringComparison.Ordinal),
            LabelSelectorOperator.NotEquals => !present || !string.Equals(value, Values[0], StringComparison.Ordinal),
            LabelSelectorOperator.In => present && Contains(value!),
            LabelSelectorOperator.NotIn => !present || !Contains(value!),
            LabelSelectorOperator.Exists => present,
            LabelSelectorOperator.DoesNotExist => !present,
            _ => false,
        };
    }

    /// <summary>Formats in selector syntax, for example <c>tier in (api,web)</c>.</summary>
    public override string ToString() => Operator switch
    {
        LabelSelectorOperator.Equals => $"{Key}={Values[0]}",
        LabelSelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelSelectorOperator.In => $"{Key} in ({string.Join(',', Values)})",
        LabelSelectorOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        LabelSelectorOperator.Exists => Key,
        LabelSelectorOperator.DoesNotExist => $"!{Key}",
        _ => Key,
    };

    private bool Contains(string value)
    {
        foreach (var candidate in Values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
