using Kindred.Cli.Eval;

namespace Kindred.Cli.Tests.Eval;

public sealed class EvalArgumentsTests
{
    [Theory]
    [InlineData("eval locomo f.json --k 5,10", "eval locomo f.json -k 5,10")]
    [InlineData("eval locomo f.json --k=5", "eval locomo f.json -k=5")]
    [InlineData("eval locomo f.json --kind --json o.json", "eval locomo f.json --kind --json o.json")]
    [InlineData("memory search --k", "memory search --k")]
    [InlineData("", "")]
    public void Only_the_eval_commands_one_letter_long_option_is_rewritten(string args, string expected)
    {
        var split = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(expected, string.Join(' ', EvalArguments.Normalize(split)));
    }
}
