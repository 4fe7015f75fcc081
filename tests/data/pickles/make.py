#!/usr/bin/env python3
"""Writes the torch.save (zip) checkpoints of tests/engine/test_state_dict.cpp without torch: one float tensor
'w' of a given shape over a float storage of a given size at a given storage offset (the values 0, 1, 2, ...).
The damaged ones point past their storage, which the unpickler does not check.
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
    def __init__(self, storage, shape, offset):
        self.storage, self.shape, self.offset = storage, shape, offset
    def __reduce__(self):
        stride = tuple(int(x) for x in [1] * len(self.shape))
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.shape, stride, False, collections.OrderedDict()))
class Pickler(pickle.Pickler):
    def persistent_id(self, o):
        return ('storage', FloatStorage, '0', 'cpu', o.n) if isinstance(o, Storage) else None

def write(path, shape, storage_size, offset):
    s = Storage(storage_size)
    b = io.BytesIO()
    Pickler(b, protocol=2).dump({'step': 1, 'w': Tensor(s, shape, offset)})
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('archive/data.pkl', b.getvalue())
        z.writestr('archive/data/0', struct.pack('<%df' % storage_size, *range(storage_size)))
        z.writestr('archive/version', b'3\n')

here = os.path.dirname(os.path.abspath(__file__))
write(os.path.join(here, 'view_ok.bin'), (2,), 4, 2)                  # elements 2, 3 of 4: fine
write(os.path.join(here, 'past_end.bin'), (32,), 1, 0)                # 32 elements over a storage of 1
write(os.path.join(here, 'far_offset.bin'), (32,), 1, 1000000000)     # an offset far past the storage
