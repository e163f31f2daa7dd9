using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Pipeline;

public sealed class OrderedWorkQueueTests
{
    [Fact]
    public void DrainTo_hands_over_in_queue_order_until_fewer_than_the_limit_remain()
    {
        using var queue = new OrderedWorkQueue<int>(2, TestContext.Current.CancellationToken);
        using var releaseFirst = new ManualResetEventSlim();
        var handed = new List<string>();
        queue.Enqueue("slow", () => { releaseFirst.Wait(TestContext.Current.CancellationToken); return 1; });
        queue.EnqueueDone("known", Task.FromResult(2));
        queue.Enqueue("fast", () => 3);
        Assert.Equal(3, queue.Count);

        // The head is still running: handing over down to 2 waits for it, and the finished ones behind it follow.
        int ticks = 0;
        Assert.True(queue.DrainTo(2, (tag, task) => handed.Add($"{tag}={task.Result}"), () =>
        {
            if (++ticks == 1) releaseFirst.Set();
        }));
        Assert.Equal("slow=1", handed[0]);
        Assert.True(ticks >= 1);
        Assert.True(queue.DrainAll((tag, task) => handed.Add($"{tag}={task.Result}"), () => { }));
        Assert.Equal(["slow=1", "known=2", "fast=3"], handed);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void DrainTo_leaves_items_that_are_not_needed_yet_and_not_done()
    {
        using var queue = new OrderedWorkQueue<int>(1, TestContext.Current.CancellationToken);
        using var release = new ManualResetEventSlim();
        queue.Enqueue("running", () => { release.Wait(TestContext.Current.CancellationToken); return 1; });
        var handed = new List<object>();
        Assert.True(queue.DrainTo(1, (tag, _) => handed.Add(tag), () => { }));
        Assert.Empty(handed);
        Assert.Equal(1, queue.Count);
        release.Set();
        Assert.True(queue.DrainAll((tag, _) => handed.Add(tag), () => { }));
        Assert.Equal(["running"], handed);
    }

    [Fact]
    public void A_cancelled_wait_returns_false_and_keeps_the_rest()
    {
        using var cancel = new CancellationTokenSource();
        using var queue = new OrderedWorkQueue<int>(1, cancel.Token);
        using var never = new ManualResetEventSlim();
        queue.Enqueue("stuck", () => { never.Wait(TestContext.Current.CancellationToken); return 1; });
        var handed = new List<object>();
        Assert.False(queue.DrainAll((tag, _) => handed.Add(tag), cancel.Cancel));
        Assert.Empty(handed);
        Assert.Equal(1, queue.Count);
        never.Set();
        // The work still ends (and hands over) once it returns.
        Assert.True(SpinWait.SpinUntil(() =>
        {
            // With no limit, only the finished items at the head are handed over: nothing is waited for.
            queue.DrainTo(int.MaxValue, (tag, _) => handed.Add(tag), () => { });
            return queue.Count == 0;
        }, TimeSpan.FromSeconds(30)));
        Assert.Equal(["stuck"], handed);
    }

    [Fact]
    public void An_item_s_turn_comes_once_every_earlier_outcome_was_handed_over()
    {
        using var queue = new OrderedWorkQueue<int>(3, TestContext.Current.CancellationToken);
        using var releaseFirst = new ManualResetEventSlim();
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        queue.Enqueue("first", () => { releaseFirst.Wait(TestContext.Current.CancellationToken); return 1; });
        queue.EnqueueDone("known", Task.FromResult(2));
        long turn = queue.NextTurn;
        Assert.Equal(2, turn);
        queue.Enqueue("third", () =>
        {
            queue.WaitForTurn(turn, TestContext.Current.CancellationToken);
            events.Enqueue("third's turn");
            return 3;
        });
        // The third is done with its work long before the first, but its turn waits for the first two to be handed over.
        Thread.Sleep(200);
        Assert.Empty(events);
        releaseFirst.Set();
        Assert.True(queue.DrainAll((tag, task) => events.Enqueue($"{tag} handed"), () => { }));
        Assert.Equal(["first handed", "known handed", "third's turn", "third handed"], events);
    }

    [Fact]
    public void A_handler_that_throws_lets_no_later_turn_come_and_a_stop_ends_the_wait()
    {
        using var stop = new CancellationTokenSource();
        using var queue = new OrderedWorkQueue<int>(2, stop.Token);
        queue.Enqueue("failing", () => 1);
        long turn = queue.NextTurn;
        Exception? waited = null;
        queue.Enqueue("later", () =>
        {
            try { queue.WaitForTurn(turn, stop.Token); }
            catch (OperationCanceledException ex) { waited = ex; }
            return 2;
        });
        // The pipeline stops at the first outcome (an error under -ErrorAction Stop): the later item must not go on.
        Assert.Throws<InvalidOperationException>(() => queue.DrainTo(0, (tag, _) => throw new InvalidOperationException("stop"), () => { }));
        Thread.Sleep(200);
        Assert.Null(waited);
        stop.Cancel();
        Assert.True(SpinWait.SpinUntil(() => waited is not null, 5000));
        Assert.IsAssignableFrom<OperationCanceledException>(waited);
    }

    [Fact]
    public void Dispose_after_a_stop_returns_once_every_worker_has_ended()
    {
        // A stopped command disposes its queue: when that returns (and so the stop), no worker may still run, holding a
        // temporary file or a pair lock or about to publish. Two workers wind down after the cancellation (as a writer
        // removes its temporary file) and a third waits for a slot.
        using var stop = new CancellationTokenSource();
        var queue = new OrderedWorkQueue<int>(2, stop.Token);
        using var started = new CountdownEvent(2);
        int ended = 0;
        for (int i = 0; i < 3; i++)
        {
            queue.Enqueue(i, () =>
            {
                started.Signal();
                stop.Token.WaitHandle.WaitOne();
                Thread.Sleep(100);
                Interlocked.Increment(ref ended);
                return 0;
            });
        }
        Assert.True(started.Wait(10_000, TestContext.Current.CancellationToken));
        stop.Cancel();
        queue.Dispose();
        Assert.Equal(2, Volatile.Read(ref ended));
    }
}
