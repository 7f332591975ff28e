package io.hearth.gateway.domain;

