using System.CommandLine;

namespace Runtime.Cli.Commands;

/// <summary>Options several commands share, each built fresh because an option belongs to one command.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Files(string description) => new("--filename", "-f")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Recursive() => new("--recursive", "-R")
    {
        Description = "Also read manifests in sub-directories of -f directories",
    };

    public static Option<string> Namespace() => new("--namespace", "-n")
    {
        Description = "Namespace for resources that name none (default \"default\")",
    };

    public static string NamespaceOrDefault(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) is { Length: > 0 } ns ? ns : "default";
}
