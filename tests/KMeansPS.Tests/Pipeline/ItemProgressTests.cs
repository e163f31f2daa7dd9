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

    [Fact]
    public void The_printed_stages_add_up_to_no_more_than_the_printed_whole()
    {
        // Seeded stage times below a millisecond and around half of one, where rounding each alone adds up to more.
        var random = new Random(7);
        for (int run = 0; run < 200; run++)
        {
            string[] names = ["decode", "histogram", "fit", "map", "encode", "metrics", "comparison"];
            StageTime[] stages = names.Take(random.Next(1, names.Length + 1))
                .Select(n => new StageTime(n, TimeSpan.FromTicks(random.Next(0, 20_000)))).ToArray();
            TimeSpan whole = stages.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Time) + TimeSpan.FromTicks(random.Next(0, 3));
            string line = FileReport.Timings("/x/a.png", stages, whole)!;
            var match = System.Text.RegularExpressions.Regex.Match(line, @"stage times: (?<stages>.*); the file took (?<total>\d+) ms\.$");
            Assert.True(match.Success, line);
            int printed = System.Text.RegularExpressions.Regex.Matches(match.Groups["stages"].Value, @" (\d+) ms").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(printed <= int.Parse(match.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture), line);
        }
        Assert.Equal("'/x/a.png' stage times: decode 1 ms, fit 0 ms, map 1 ms; the file took 2 ms.",
            FileReport.Timings("/x/a.png", [new("decode", TimeSpan.FromMilliseconds(0.6)), new("fit", TimeSpan.FromMilliseconds(0.6)),
                new("map", TimeSpan.FromMilliseconds(0.6))], TimeSpan.FromMilliseconds(1.8)));
    }
}
