namespace Runtime.Abstractions.Validation;

/// <summary>Semantic checks for a bound spec; implementations report every problem to the sink.</summary>
internal interface ISpecValidator
{
    void Validate(object spec, IssueSink issues);
}
