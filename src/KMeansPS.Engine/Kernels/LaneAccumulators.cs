using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// <see cref="ChunkSums"/>' eight canonical accumulators (accumulator a takes the terms of indices
/// a, a + 8, a + 16, ... in that order) held in the double lanes of one vector width. A group of
/// <see cref="Group"/> consecutive terms (the fewest whole float vectors that cover eight) is added per
/// step; each float vector widens to a lower and an upper half, and half h of a group goes to slot
/// h mod <see cref="Slots"/>:
/// 128-bit: 8 terms = 2 vectors = 4 halves of 2 doubles, slots 0-3 hold accumulators 0-1, 2-3, 4-5, 6-7;
/// 256-bit: 8 terms = 1 vector = 2 halves of 4 doubles, slots 0-1 hold accumulators 0-3, 4-7;
/// 512-bit: 16 terms = 1 vector = 2 halves of 8 doubles, slot 0 holds all eight and takes the lower half
/// (terms 0-7) before the upper (terms 8-15).
/// Either way each lane adds exactly the terms its scalar accumulator adds, in the same order.
/// </summary>
internal unsafe struct LaneAccumulators<TWidth, TFloats, TInts, TDoubles>
    where TWidth : IVectorWidth<TFloats, TInts, TDoubles>
    where TFloats : struct
    where TInts : struct
    where TDoubles : struct
{
    private TDoubles _slot0, _slot1, _slot2, _slot3;

    /// <summary>Terms added per step: 8, or one vector where a vector holds more.</summary>
    internal static int Group
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TWidth.Count > ChunkSums.Accumulators ? TWidth.Count : ChunkSums.Accumulators;
    }

    /// <summary>Vectors per group: 2 at 128 bits, else 1.</summary>
    internal static int VectorsPerGroup
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Group / TWidth.Count;
    }

    /// <summary>Double vectors holding the eight accumulators: 8 / (TWidth.Count / 2).</summary>
    private static int Slots
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 2 * ChunkSums.Accumulators / TWidth.Count;
    }

    /// <summary>Adds the terms of the group's <paramref name="vector"/>-th float vector (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int vector, TFloats terms)
    {
        var (lower, upper) = TWidth.Widen(terms);
        AddHalf(2 * vector, lower);
        AddHalf(2 * vector + 1, upper);
    }

    /// <summary>As <see cref="Add(int, TFloats)"/> with terms value x weight, the product taken in double (exact) and fused into the add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int vector, TFloats values, TFloats weights)
    {
        var (lower, upper) = TWidth.Widen(values);
        var (weightLower, weightUpper) = TWidth.Widen(weights);
        AddHalfProduct(2 * vector, lower, weightLower);
        AddHalfProduct(2 * vector + 1, upper, weightUpper);
    }

    /// <summary>
    /// As <see cref="Add(int, TFloats, TFloats)"/> with the weights already widened: a caller adding several value
    /// vectors against the same weights widens them once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int vector, TFloats values, TDoubles weightLower, TDoubles weightUpper)
    {
        var (lower, upper) = TWidth.Widen(values);
        AddHalfProduct(2 * vector, lower, weightLower);
        AddHalfProduct(2 * vector + 1, upper, weightUpper);
    }

    /// <summary>Writes accumulators 0-7 in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly void Store(double* accumulators)
    {
        int perSlot = TWidth.Count / 2;
        TWidth.Store(_slot0, accumulators);
        if (Slots > 1) TWidth.Store(_slot1, accumulators + perSlot);
        if (Slots > 2)
        {
            TWidth.Store(_slot2, accumulators + 2 * perSlot);
            TWidth.Store(_slot3, accumulators + 3 * perSlot);
        }
    }

    /// <summary>
    /// The half's terms value x weight added to its slot: the product of two widened floats is exact, so one fused
    /// multiply-add rounds where the add alone did, and the slot gets the bits of multiply-then-add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddHalfProduct(int half, TDoubles values, TDoubles weights)
    {
        switch (half % Slots)
        {
            case 0: _slot0 = TWidth.AddExactProduct(_slot0, values, weights); break;
            case 1: _slot1 = TWidth.AddExactProduct(_slot1, values, weights); break;
            case 2: _slot2 = TWidth.AddExactProduct(_slot2, values, weights); break;
            default: _slot3 = TWidth.AddExactProduct(_slot3, values, weights); break;
        }
    }

    /// <summary>The half's slot is a constant once the JIT specialises the width, so this folds to one add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddHalf(int half, TDoubles terms)
    {
        switch (half % Slots)
        {
            case 0: _slot0 = TWidth.Add(_slot0, terms); break;
            case 1: _slot1 = TWidth.Add(_slot1, terms); break;
            case 2: _slot2 = TWidth.Add(_slot2, terms); break;
            default: _slot3 = TWidth.Add(_slot3, terms); break;
        }
    }
}
