using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Tests.IO;

public class NoReplaceMoveTests
{
    [Fact]
    public void An_existing_destination_is_never_replaced()
    {
        using var folder = new TempFolder();
        string temp = folder.File("t.tmp"), dest = folder.File("out.png");
        File.WriteAllText(temp, "new");
        File.WriteAllText(dest, "old");
        Assert.Throws<OutputExistsException>(() => NoReplaceMove.Move(temp, dest));
        Assert.Equal("old", File.ReadAllText(dest));
        Assert.True(File.Exists(temp)); // the writer removes it
    }

    [Fact]
    public void A_dangling_symbolic_link_at_the_destination_counts_as_taken()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string temp = folder.File("t.tmp"), dest = folder.File("out.png");
        File.WriteAllText(temp, "new");
        File.CreateSymbolicLink(dest, folder.File("nowhere"));
        Assert.Throws<OutputExistsException>(() => NoReplaceMove.Move(temp, dest));
        Assert.False(File.Exists(folder.File("nowhere")));
    }

    [Fact]
    public void Of_many_writers_racing_for_one_name_exactly_one_wins_every_time()
    {
        using var folder = new TempFolder();
        const int Writers = 8, Rounds = 200;
        for (int round = 0; round < Rounds; round++)
        {
            string dest = folder.File($"race{round}.bin");
            var temps = Enumerable.Range(0, Writers).Select(w =>
            {
                string t = folder.File($"w{w}-{round}.tmp");
                File.WriteAllText(t, w.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return t;
            }).ToArray();
            int wins = 0, losses = 0, winner = -1;
            using var start = new Barrier(Writers);
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
            {
                start.SignalAndWait();
                try
                {
                    NoReplaceMove.Move(temps[w], dest);
                    Interlocked.Increment(ref wins);
                    winner = w;
                }
                catch (OutputExistsException)
                {
                    Interlocked.Increment(ref losses);
                    File.Delete(temps[w]);
                }
            });
            Assert.Equal(1, wins);
            Assert.Equal(Writers - 1, losses);
            Assert.Equal(winner.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(dest));
        }
        Assert.Equal(Rounds, folder.FileNames().Length);
    }
}
