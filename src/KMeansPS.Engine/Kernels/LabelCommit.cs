using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

/// <summary>Writing a pass's fresh labels over the previous ones while counting changes (Lloyd's strict convergence test).</summary>
internal static class LabelCommit
{
    /// <summary>Copies fresh labels over old ones and counts how many differ (an integer: any order is exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Commit(ReadOnlySpan<int> fresh, Span<int> labels)
    {
        if (labels.Length < fresh.Length) throw new ArgumentException("Labels shorter than fresh labels.", nameof(labels));
        int changed = 0, i = 0;
        ref int f = ref MemoryMarshal.GetReference(fresh);
        ref int l = ref MemoryMarshal.GetReference(labels);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= fresh.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                Vector256<int> a = Vector256.LoadUnsafe(ref f, (nuint)i);
                uint same = Vector256.Equals(a, Vector256.LoadUnsafe(ref l, (nuint)i)).ExtractMostSignificantBits();
                changed += Vector256<int>.Count - BitOperations.PopCount(same);
                a.StoreUnsafe(ref l, (nuint)i);
            }
        }
        for (; i < fresh.Length; i++)
        {
            if (Unsafe.Add(ref l, i) != Unsafe.Add(ref f, i)) changed++;
            Unsafe.Add(ref l, i) = Unsafe.Add(ref f, i);
        }
        return changed;
    }
}
