namespace Runtime.Cli.Output;

/// <summary>Left-aligned columns separated by three spaces, as kubectl prints them.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(output, headers, widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths)
    {
        var last = cells.Count - 1;
        var line = string.Concat(cells.Select((cell, i) => i == last ? cell : cell.PadRight(widths[i] + 3)));
        output.WriteLine(line.TrimEnd());
    }
}
