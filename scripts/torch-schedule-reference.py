"""Writes test/fixtures/schedules/torch-reference.json: learning rates per step computed by PyTorch's
own schedulers (StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, LinearLR warmup), the
independent reference that test/unit/training/schedules.test.ts checks src/core/training/schedules.ts
against. Run with Debian's python3-torch: /usr/bin/python3 scripts/torch-schedule-reference.py
"""
import json, math, torch

def rates(make, steps, lr):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sch = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]['lr'])
        opt.step()
        sch.step()
    return out

cases = []
spe, epochs, peak = 7, 5, 0.01
total = spe * epochs
def add(name, params, make, lr=peak, warmup=None):
    r = rates(make, total, lr)
    if warmup:
        w = rates(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=warmup['startFactor'], end_factor=1.0, total_iters=warmup['steps']), total, 1.0)
        r = [a * b for a, b in zip(r, w)]
    cases.append({'name': name, 'stepsPerEpoch': spe, 'epochs': epochs, 'peak': lr, 'schedule': params, 'warmup': warmup or {'steps': 0, 'startFactor': 0.1}, 'rates': r})

base = {'stepEpochs': 7, 'gamma': 0.1, 'minRate': 0, 'pctStart': 0.25, 'divFactor': 25, 'finalDivFactor': 1e4}
add('constant', {**base, 'type': 'constant'}, lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda s: 1.0))
add('step', {**base, 'type': 'step', 'stepEpochs': 2, 'gamma': 0.5}, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2 * spe, gamma=0.5))
add('exponential', {**base, 'type': 'exponential', 'gamma': 0.8}, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.8 ** (1 / spe)))
add('cosine', {**base, 'type': 'cosine', 'minRate': 0.001}, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total - 1, eta_min=0.001))
add('oneCycle', {**base, 'type': 'oneCycle', 'pctStart': 0.3}, lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=peak, total_steps=total, pct_start=0.3, div_factor=25, final_div_factor=1e4, anneal_strategy='cos', cycle_momentum=False, three_phase=False))
add('cosine+warmup', {**base, 'type': 'cosine', 'minRate': 0}, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total - 1, eta_min=0), warmup={'steps': 5, 'startFactor': 0.2})
add('step+warmup', {**base, 'type': 'step', 'stepEpochs': 1, 'gamma': 0.9}, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=spe, gamma=0.9), warmup={'steps': 10, 'startFactor': 0.05})

with open('test/fixtures/schedules/torch-reference.json', 'w') as f:
    json.dump({'generatedBy': f'torch {torch.__version__}', 'cases': cases}, f, indent=1)
print(len(cases), 'cases')
