using System.Diagnostics;
using System.Runtime.CompilerServices;
using KMeansPS.Bridge;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// The machine-wide lock that makes an output and its comparison figure one publish (Compress-ImageKMeans -ComparisonPath):
/// one holder at a time, across threads and processes; one lock per file, however its path is spelled; none shared by
/// two files; and a lock whose holder was killed is taken over, so the next run goes on.
/// </summary>
public sealed class OutputPairLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmeansps-pairlock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Whether another thread is refused <paramref name="output"/>'s lock now: Acquire waits 100 ms on the mutex before it
    /// looks at its (already cancelled) token, so a free lock is taken and a held one ends in OperationCanceledException.
    /// </summary>
    private static bool HeldElsewhere(string output) =>
        Task.Factory.StartNew(() =>
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            try
            {
                OutputPairLock? taken = OutputPairLock.Acquire(output, cancelled.Token);
                Assert.NotNull(taken);
                taken.Dispose();
                return false;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).GetAwaiter().GetResult();

    [Fact]
    public async Task Two_threads_never_hold_the_lock_of_one_output_at_once()
    {
        string output = Path.Combine(_dir, "out.png");
        int inside = 0, most = 0, entries = 0;
        Task[] threads = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                using OutputPairLock? held = OutputPairLock.Acquire(output, CancellationToken.None);
                Assert.NotNull(held);
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Interlocked.Increment(ref entries);
                Thread.Yield();
                Interlocked.Decrement(ref inside);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(threads);
        Assert.Equal(200, entries);
        Assert.Equal(1, most);
    }

    [Fact]
    public void A_held_lock_refuses_another_thread_until_it_is_released()
    {
        string output = Path.Combine(_dir, "out.png");
        OutputPairLock? held = OutputPairLock.Acquire(output, CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(HeldElsewhere(output));
        held.Dispose();
        Assert.False(HeldElsewhere(output));
    }

    public static TheoryData<string> Spellings() => new()
    {
        "relative", "dot", "dot-dot", "doubled separators", "symlinked folder", "symlinked folder, relative", "trailing separators on the folder",
    };

    private string Spell(string how, string folder, string name)
    {
        string full = Path.Combine(folder, name);
        string link = Path.Combine(_dir, "link");
        if (!Directory.Exists(link) && !File.Exists(link)) Directory.CreateSymbolicLink(link, folder);
        string sep = Path.DirectorySeparatorChar.ToString();
        return how switch
        {
            "relative" => Path.GetRelativePath(Environment.CurrentDirectory, full),
            "dot" => folder + sep + "." + sep + name,
            "dot-dot" => folder + sep + ".." + sep + Path.GetFileName(folder) + sep + name,
            "doubled separators" => folder + sep + sep + name,
            "symlinked folder" => Path.Combine(link, name),
            "symlinked folder, relative" => Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(link, name)),
            "trailing separators on the folder" => folder + sep + sep + sep + name,
            _ => throw new ArgumentException(how),
        };
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Every_spelling_of_one_output_is_one_lock_before_and_after_the_file_exists(string how)
    {
        if (OperatingSystem.IsWindows() && how.StartsWith("symlinked", StringComparison.Ordinal)) return; // links need privileges there
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "real")).FullName;
        string full = Path.Combine(folder, "out.png");
        string spelled = Spell(how, folder, "out.png");
        foreach (bool exists in new[] { false, true })
        {
            if (exists) File.WriteAllText(full, "x");
            Assert.Equal(OutputPairLock.Name(full), OutputPairLock.Name(spelled));
            OutputPairLock? held = OutputPairLock.Acquire(spelled, CancellationToken.None);
            Assert.NotNull(held);
            Assert.True(HeldElsewhere(full), $"'{spelled}' held, '{full}' free");
            held.Dispose();
        }
    }

    [Fact]
    public void Different_outputs_do_not_block_each_other()
    {
        string a = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "a")).FullName, "out.png");
        string b = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "b")).FullName, "out.png");
        string a2 = Path.Combine(_dir, "a", "out-comparison.png");
        OutputPairLock? held = OutputPairLock.Acquire(a, CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(HeldElsewhere(a));
        Assert.False(HeldElsewhere(b));
        Assert.False(HeldElsewhere(a2));
        Assert.NotEqual(OutputPairLock.Name(a), OutputPairLock.Name(b));
        held.Dispose();
    }

    [Fact]
    public void Another_process_holding_the_lock_excludes_this_one_until_it_releases()
    {
        string output = Path.Combine(_dir, "out.png");
        using Process child = StartHolder(output);
        Assert.True(HeldElsewhere(output));
        child.StandardInput.WriteLine("release");
        Assert.Equal("released", child.StandardOutput.ReadLine());
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);
        Assert.False(HeldElsewhere(output));
    }

    [Fact]
    public void The_lock_of_a_killed_holder_is_taken_over_and_the_next_run_goes_on()
    {
        string output = Path.Combine(_dir, "out.png");
        using Process child = StartHolder(output);
        Assert.True(HeldElsewhere(output));
        child.Kill();
        child.WaitForExit();
        // Abandoned: the next Acquire gets it (not an AbandonedMutexException), and it works as a lock from then on.
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang fails the test instead of the run
        OutputPairLock? taken = OutputPairLock.Acquire(output, bound.Token);
        Assert.NotNull(taken);
        Assert.True(HeldElsewhere(output));
        taken.Dispose();
        Assert.False(HeldElsewhere(output));
        using OutputPairLock? again = OutputPairLock.Acquire(output, bound.Token);
        Assert.NotNull(again);
    }

    // This test program run again as a child that takes the lock of output, says "held", and holds it until told to release.
    private static Process StartHolder(string output)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment[PairLockHolder.Variable] = output;
        Process child = Process.Start(start)!;
        string? said = child.StandardOutput.ReadLine();
        Assert.Equal("held", said);
        return child;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

/// <summary>
/// The child side of <see cref="OutputPairLockTests"/>: when the test program starts with <see cref="Variable"/> set, it
/// takes that output's lock, says "held", and releases it when a line comes in (or is killed holding it), and runs no tests.
/// </summary>
internal static class PairLockHolder
{
    internal const string Variable = "KMEANSPS_TEST_HOLD_PAIR_LOCK";

#pragma warning disable CA2255 // a test program's own entry: the child must hold the lock before xunit starts
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void HoldWhenAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { } output) return;
        OutputPairLock? held = OutputPairLock.Acquire(output, CancellationToken.None);
        Console.Out.WriteLine(held is null ? "no lock on this system" : "held");
        Console.Out.Flush();
        Console.In.ReadLine();
        held?.Dispose();
        Console.Out.WriteLine("released");
        Console.Out.Flush();
        Environment.Exit(0);
    }
}
