namespace Runtime.Abstractions.Tests;

internal static class FixtureFiles
{
    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Read(string folder, string file) => File.ReadAllText(Path.Combine(Directory(folder), file));
}
