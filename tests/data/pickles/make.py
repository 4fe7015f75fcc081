#!/usr/bin/env python3
"""Writes the torch.save (zip) checkpoints of tests/engine/test_state_dict.cpp without torch: one float tensor
'w' of a given shape over a float storage of a given size at a given storage offset (the values 0, 1, 2, ...).
The damaged ones point past their storage, claim more elements than their record holds, or are malformed pickles
(engine/io/torch_zip.cpp must refuse them all, naming the file).
usage: make.py  (writes the .bin files beside this script)"""
import collections, io, os, pickle, struct, sys, types, zipfile

torch = types.ModuleType('torch')
utils = types.ModuleType('torch._utils')
def _rebuild_tensor_v2(*args): pass
_rebuild_tensor_v2.__module__ = 'torch._utils'
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
class FloatStorage: pass
FloatStorage.__module__ = 'torch'
torch.FloatStorage, torch._utils = FloatStorage, utils
sys.modules['torch'], sys.modules['torch._utils'] = torch, utils

class Storage:
    def __init__(self, n): self.n = n
class Tensor:
    def __init__(self, storage, shape, offset, stride=None):
        self.storage, self.shape, self.offset = storage, shape, offset
        self.stride = stride if stride is not None else tuple(int(x) for x in [1] * len(shape))
    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.shape, self.stride, False, collections.OrderedDict()))
class Pickler(pickle.Pickler):
    def persistent_id(self, o):
        return ('storage', FloatStorage, '0', 'cpu', o.n) if isinstance(o, Storage) else None

def write_zip(path, pkl, record_floats):
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('archive/data.pkl', pkl)
        z.writestr('archive/data/0', struct.pack('<%df' % record_floats, *range(record_floats)))
        z.writestr('archive/version', b'3\n')

def write(path, shape, storage_size, offset, stride=None, record_size=None, ordered=False, protocol=2):
    s = Storage(storage_size)
    b = io.BytesIO()
    if ordered:  # what torch.save(model.state_dict()) writes: an OrderedDict with a _metadata attribute
        d = collections.OrderedDict([('w', Tensor(s, shape, offset, stride)), ('step', 1)])
        d._metadata = collections.OrderedDict([('', {'version': 1})])
    else:
        d = {'step': 1, 'w': Tensor(s, shape, offset, stride)}
    Pickler(b, protocol=protocol).dump(d)
    write_zip(path, b.getvalue(), storage_size if record_size is None else record_size)

here = os.path.dirname(os.path.abspath(__file__))
write(os.path.join(here, 'view_ok.bin'), (2,), 4, 2)                  # elements 2, 3 of 4: fine
write(os.path.join(here, 'past_end.bin'), (32,), 1, 0)                # 32 elements over a storage of 1
write(os.path.join(here, 'far_offset.bin'), (32,), 1, 1000000000)     # an offset far past the storage
write(os.path.join(here, 'ordered.bin'), (2, 2), 4, 0, stride=(2, 1), ordered=True)   # torch.save(model.state_dict())
write(os.path.join(here, 'numel_lie.bin'), (4,), 100000001, 0, record_size=1)  # 100000001 floats claimed, 4 bytes
write(os.path.join(here, 'stride0.bin'), (1000000, 1000), 1, 0, stride=(0, 0))  # one element seen 10^9 times
# malformed pickles: an opcode whose operands are not on the stack, a deep nesting, a global that runs code
write_zip(os.path.join(here, 'short_stack.bin'), b'\x80\x02K\x01\x87.', 1)        # TUPLE3 of one value
write_zip(os.path.join(here, 'reduce_empty.bin'), b'\x80\x02R.', 1)                 # REDUCE on an empty stack
write_zip(os.path.join(here, 'deep.bin'), b'\x80\x02K\x01' + b'\x85' * 1000 + b'.', 1)  # 1000 nested tuples
write_zip(os.path.join(here, 'system.bin'), b'\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R.', 1)
write(os.path.join(here, 'protocol4.bin'), (2, 2), 4, 0, stride=(2, 1), ordered=True, protocol=4)  # STACK_GLOBAL
write_zip(os.path.join(here, 'self_list.bin'), b'\x80\x02]q\x00h\x00a.', 1)     # a list appended to itself
