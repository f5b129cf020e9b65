namespace Runtime.Abstractions.Validation;

/// <summary>Semantic checks for one kind's typed spec, run after binding.</summary>
/// <typeparam name="TSpec">The spec record of the kind.</typeparam>
internal abstract class SpecValidator<TSpec> : ISpecValidator
    where TSpec : class
{
    public void Validate(object spec, IssueSink issues)
    {
        if (spec is TSpec typed)
        {
            Validate(typed, issues);
        }
    }

    protected abstract void Validate(TSpec spec, IssueSink issues);
}
