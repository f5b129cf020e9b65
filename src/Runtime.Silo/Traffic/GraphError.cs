namespace Runtime.Silo.Traffic;

/// <summary>The body of a refused graph request.</summary>
/// <param name="Error">What was wrong and how to put it right.</param>
internal sealed record GraphError(string Error);
