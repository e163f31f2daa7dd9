using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Pipeline;

public sealed class ItemProgressTests
{
    [Fact]
    public void Keeps_only_the_latest_state_and_says_whether_it_changed()
    {
        var item = new ItemProgress("a.png");
        Assert.False(item.TryTake(out string? stage, out _, out _));
        Assert.Null(stage);
        item.Report("decode", "32 of 100 rows", 9);
        item.Report("decode", "64 of 100 rows", 19);
        Assert.True(item.TryTake(out stage, out string? detail, out int percent));
        Assert.Equal(("decode", "64 of 100 rows", 19), (stage, detail, percent));
        Assert.False(item.TryTake(out _, out _, out _));
    }

    [Fact]
    public void The_percentage_never_goes_back()
    {
        var item = new ItemProgress("a.png");
        item.Report("fit", "iteration 40 of at most 100", 47);
        item.Report("fit", "iteration 1 of at most 100", 35);
        Assert.True(item.TryTake(out _, out string? detail, out int percent));
        Assert.Equal("iteration 1 of at most 100", detail);
        Assert.Equal(47, percent);
        item.Report("encode", null, 250);
        item.TryTake(out _, out _, out percent);
        Assert.Equal(100, percent);
    }

    [Fact]
    public void Times_each_stage_in_order_and_closes_the_last_on_Finish()
    {
        var item = new ItemProgress("a.png");
        item.Report("decode", null, 0);
        item.Report("decode", "50 of 100 rows", 15);
        item.Report("fit", null, 35);
        Assert.Equal(["decode"], item.Timings.Select(t => t.Stage));
        item.Finish();
        Assert.Equal(["decode", "fit"], item.Timings.Select(t => t.Stage));
        Assert.All(item.Timings, t => Assert.True(t.Time >= TimeSpan.Zero));
    }

    [Fact]
    public void The_debug_line_sums_a_stage_entered_twice_and_keeps_first_order()
    {
        string? line = FileReport.Timings("/x/a.png", [new("decode", TimeSpan.FromMilliseconds(10)), new("fit", TimeSpan.FromMilliseconds(4)),
            new("map", TimeSpan.FromMilliseconds(2)), new("fit", TimeSpan.FromMilliseconds(6))]);
        Assert.Equal("'/x/a.png' stage times: decode 10 ms, fit 10 ms, map 2 ms.", line);
        Assert.Null(FileReport.Timings("/x/a.png", []));
    }
}
