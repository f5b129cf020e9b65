namespace Runtime.Abstractions.CommandLine;

/// <summary>
/// One setting of a process: its flag, the environment variable that can set it too, and how a value is
/// applied. <paramref name="Apply"/> returns null when the value is good, otherwise what is wrong with it.
/// </summary>
/// <typeparam name="TOptions">The options object the setting writes to.</typeparam>
/// <param name="Flag">For example <c>--grpc-port</c>.</param>
/// <param name="Variable">For example <c>MESH_GRPC_PORT</c>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
/// <param name="Default">The default, as shown in <c>--help</c>.</param>
/// <param name="Apply">Applies one value; returns a problem description or null.</param>
/// <param name="Reset">
/// For repeatable settings: clears what the environment set, before the first flag of this setting is applied
/// (flags win over the environment). Null for single-valued settings. The environment variable of a
/// repeatable setting holds comma-separated values.
/// </param>
public sealed record FlagSetting<TOptions>(
    string Flag,
    string Variable,
    string Description,
    string Default,
    Func<TOptions, string, string?> Apply,
    Action<TOptions>? Reset = null)
{
    /// <summary>Whether the flag may be given several times.</summary>
    public bool Repeatable => Reset is not null;
}
