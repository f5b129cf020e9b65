using Runtime.Abstractions.Selection;

namespace Runtime.Abstractions.Tests.Selection;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Reviews = new()
    {
        ["app"] = "reviews",
        ["version"] = "v2",
        ["tier"] = "web",
        ["example.com/team"] = "books",
    };

    [Theory]
    [InlineData("app=reviews", true)]
    [InlineData("app==reviews", true)]
    [InlineData("app=ratings", false)]
    [InlineData("app!=ratings", true)]
    [InlineData("app!=reviews", false)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (web,api)", true)]
    [InlineData("tier in (api)", false)]
    [InlineData("missing in (x)", false)]
    [InlineData("tier notin (api,db)", true)]
    [InlineData("tier notin (web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("example.com/team=books", true)]
    [InlineData("app=reviews,version!=v1,tier in (web,api),!canary", true)]
    [InlineData("app=reviews,version=v1", false)]
    [InlineData("  app = reviews ,  tier   in(  web , api ) , ! canary  ", true)]
    [InlineData("", true)]
    [InlineData("   ", true)]
    public void Matches_Selector_ReturnsExpected(string text, bool expected)
    {
        Assert.True(LabelSelector.TryParse(text, out var selector, out var error), error);
        Assert.Null(error);
        Assert.Equal(expected, selector.Matches(Reviews));
    }

    [Fact]
    public void Matches_EmptyValueEquality_MatchesOnlyEmptyValue()
    {
        var selector = LabelSelector.Parse("a=");
        Assert.True(selector.Matches(new Dictionary<string, string> { ["a"] = "" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["a"] = "x" }));
        Assert.False(selector.Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void Everything_MatchesAnyLabels()
    {
        Assert.True(LabelSelector.Everything.IsEverything);
        Assert.True(LabelSelector.Everything.Matches(new Dictionary<string, string>()));
        Assert.True(LabelSelector.Everything.Matches(Reviews));
        Assert.Same(LabelSelector.Everything, LabelSelector.Parse(" "));
    }

    [Fact]
    public void TryParse_AllOperators_BuildsRequirements()
    {
        var selector = LabelSelector.Parse("a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g");
        Assert.Collection(
            selector.Requirements,
            r => { Assert.Equal("a", r.Key); Assert.Equal(LabelSelectorOperator.Equals, r.Operator); Assert.Equal(["1"], r.Values); },
            r => { Assert.Equal("b", r.Key); Assert.Equal(LabelSelectorOperator.Equals, r.Operator); Assert.Equal(["2"], r.Values); },
            r => { Assert.Equal("c", r.Key); Assert.Equal(LabelSelectorOperator.NotEquals, r.Operator); Assert.Equal(["3"], r.Values); },
            r => { Assert.Equal("d", r.Key); Assert.Equal(LabelSelectorOperator.In, r.Operator); Assert.Equal(["x", "y"], r.Values); },
            r => { Assert.Equal("e", r.Key); Assert.Equal(LabelSelectorOperator.NotIn, r.Operator); Assert.Equal(["z"], r.Values); },
            r => { Assert.Equal("f", r.Key); Assert.Equal(LabelSelectorOperator.Exists, r.Operator); Assert.Empty(r.Values); },
            r => { Assert.Equal("g", r.Key); Assert.Equal(LabelSelectorOperator.DoesNotExist, r.Operator); Assert.Empty(r.Values); });
        Assert.Equal("a=1,b=2,c!=3,d in (x,y),e notin (z),f,!g", selector.ToString());
    }

    [Theory]
    [InlineData("app=reviews,", "position 13", "a requirement after ','")]
    [InlineData(",app", "position 1", "a label key")]
    [InlineData("app reviews", "position 5", "'=', '==', '!=', 'in' or 'notin' after key 'app'")]
    [InlineData("tier in (web", "position 13", "')' to close the value list opened at position 9")]
    [InlineData("tier in web", "position 9", "'(' to open the value list after 'in'")]
    [InlineData("tier in ()", "position 10", "a label value")]
    [InlineData("tier in (a b)", "position 12", "',' or ')' in the value list")]
    [InlineData("app=a=b", "position 6", "',' between requirements")]
    [InlineData("!", "position 2", "a label key")]
    [InlineData("app=-bad", "position 5", "label value '-bad' is invalid")]
    [InlineData("Bad_Prefix/app=x", "position 1", "label key 'Bad_Prefix/app' is invalid")]
    [InlineData("app=x)", "position 6", "',' between requirements")]
    public void TryParse_InvalidText_ErrorNamesPositionAndExpectation(string text, string position, string expected)
    {
        Assert.False(LabelSelector.TryParse(text, out var selector, out var error));
        Assert.Null(selector);
        Assert.NotNull(error);
        Assert.Contains(position, error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_TooLongValue_IsRejected()
    {
        var text = "app=" + new string('a', 64);
        Assert.False(LabelSelector.TryParse(text, out _, out var error));
        Assert.Contains("longer than 63", error);
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => LabelSelector.Parse("a in"));
        Assert.Contains("position 5", ex.Message);
    }
}
