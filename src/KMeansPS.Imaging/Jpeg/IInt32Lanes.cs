namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The 32-bit integer operations the inverse DCT's passes use, over one value (<see cref="ScalarLanes"/>) or a
/// vector of lanes (<see cref="Int32LanesVector128"/> and its generated 256-bit copy). The passes in
/// <see cref="InverseDct"/> are written once over it; each binding is a struct, so every use is specialised and
/// inlined by the JIT, with no interface call left. All arithmetic wraps around, lane by lane.
/// </summary>
/// <typeparam name="T"><see cref="int"/> or a vector of <see cref="int"/>.</typeparam>
internal interface IInt32Lanes<T>
    where T : struct
{
    static abstract T Broadcast(int value);

    static abstract T Add(T left, T right);

    static abstract T Subtract(T left, T right);

    static abstract T Multiply(T value, int factor);

    static abstract T ShiftLeft(T value, int count);

    static abstract T ShiftRightArithmetic(T value, int count);

    static abstract T Min(T left, T right);

    static abstract T Max(T left, T right);
}
