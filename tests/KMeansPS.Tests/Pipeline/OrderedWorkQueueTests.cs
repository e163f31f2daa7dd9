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
}
